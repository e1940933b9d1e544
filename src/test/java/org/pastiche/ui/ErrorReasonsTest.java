package org.pastiche.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pastiche.core.PasticheException;
import org.pastiche.core.PasticheException.Reason;
import org.pastiche.imaging.ImageDecoder;
import org.pastiche.imaging.ImageExporter;
import org.pastiche.imaging.RgbaImage;

/** The engine's real failures carry the codes the UI translates, and read as Chinese in zh. */
class ErrorReasonsTest {
    @TempDir
    Path dir;
    private final I18n zh = new I18n(I18n.CHINESE);

    private PasticheException decodeFails(ImageDecoder decoder, Path file, Reason expected) {
        PasticheException e = assertThrows(PasticheException.class, () -> decoder.decode(file));
        assertEquals(expected, e.reason(), e.getMessage());
        String text = ErrorReasons.describe(zh, e, file.toString());
        assertEquals(zh.get(ErrorReasons.key(expected), e.arguments().toArray()), text);
        assertFalse(text.contains(file.getFileName().toString()), "the Chinese text, not the English message: " + text);
        return e;
    }

    @Test
    void theDecodersFailuresHaveCodes() throws Exception {
        ImageDecoder decoder = new ImageDecoder();
        decodeFails(decoder, dir.resolve("missing.jpg"), Reason.FILE_NOT_FOUND);
        decodeFails(decoder, Files.createDirectory(dir.resolve("folder.jpg")), Reason.NOT_A_FILE);
        decodeFails(decoder, Files.createFile(dir.resolve("empty.jpg")), Reason.FILE_EMPTY);
        decodeFails(decoder, Files.writeString(dir.resolve("notes.jpg"), "just some text, not a picture"),
                Reason.UNSUPPORTED_FORMAT);

        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Path jpeg = dir.resolve("whole.jpg");
        ImageIO.write(image, "jpg", jpeg.toFile());
        byte[] bytes = Files.readAllBytes(jpeg);
        Path truncated = Files.write(dir.resolve("truncated.jpg"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        decodeFails(decoder, truncated, Reason.CORRUPT_FILE);

        PasticheException tooLarge = decodeFails(new ImageDecoder(1000), jpeg, Reason.TOO_MANY_PIXELS);
        assertEquals(List.of(64, 48, 0.001), tooLarge.arguments());
        assertEquals("图像太大（64 × 48 像素；上限为 0 百万像素）", ErrorReasons.describe(zh, tooLarge));
    }

    @Test
    void theExportersFailuresHaveCodes() {
        RgbaImage image = new RgbaImage(2, 2, new int[] {-1, -1, -1, -1});
        Path nowhere = dir.resolve("no-such-folder").resolve("out.png");
        PasticheException e = assertThrows(PasticheException.class,
                () -> ImageExporter.write(image, nowhere, 0.9f, List.of()));
        assertEquals(Reason.FOLDER_MISSING, e.reason());
        assertEquals("文件夹 " + nowhere.getParent().toAbsolutePath() + " 不存在", ErrorReasons.describe(zh, e));

        e = assertThrows(PasticheException.class,
                () -> ImageExporter.write(image, dir.resolve("out.gif"), 0.9f, List.of()));
        assertEquals(Reason.UNSUPPORTED_OUTPUT_TYPE, e.reason());
    }
}
