package org.pastiche.imaging;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.pastiche.imaging.ImageExporter.Format;

/**
 * Encodes an image as PNG or JPEG onto a stream, tagged sRGB: PNG with its sRGB chunk (and the
 * gAMA and cHRM that go with it), JPEG with the sRGB ICC profile; JPEG, which has no alpha, gets
 * the image composited over white. Where the bytes go, and how they become a file, is
 * {@link ImageExporter}'s and {@link ExportTemps}' business.
 */
final class ImageEncoders {
    private ImageEncoders() {}

    /**
     * Writes {@code image} in {@code format}; {@code jpegQuality} (0..1) is used for JPEG only. PNG is
     * {@link PngEncoder}'s (several cores; RGB, or RGBA where a pixel is not opaque), JPEG ImageIO's.
     */
    static void encode(Format format, RgbaImage image, OutputStream out, float jpegQuality) throws IOException {
        if (format == Format.PNG) {
            new PngEncoder().write(image, out);
        } else {
            try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                writeWith("jpeg", wrap(image.hasAlpha() ? overWhite(image) : image, false), ios, jpegQuality);
            }
        }
    }

    /** As ImageIO's PNG writer writes it (the exporter's encoder before {@link PngEncoder}; for comparisons). */
    static void encodePngWithImageIo(RgbaImage image, OutputStream out) throws IOException {
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writeWith("png", wrap(image, image.hasAlpha()), ios, null);
        }
    }

    private static void writeWith(String format, BufferedImage img, ImageOutputStream ios, Float quality)
            throws IOException {
        ImageDecoder.ImageIoSetup.ensure(); // the same plugins and settings as the decoder's
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        if (!writers.hasNext()) {
            throw new IOException("no " + format + " writer");
        }
        ImageWriter writer = writers.next();
        try {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (quality != null && param.canWriteCompressed()) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
            }
            IIOMetadata metadata = srgbMetadata(writer, img, param, format);
            writer.write(null, new IIOImage(img, null, metadata), param);
        } finally {
            writer.dispose();
        }
    }

    /**
     * Metadata that says "sRGB": PNG's sRGB chunk (with the gAMA and cHRM that go with it, for
     * older readers), JPEG's APP2 ICC profile; null (no tag) where the writer cannot take it.
     */
    static IIOMetadata srgbMetadata(ImageWriter writer, BufferedImage img, ImageWriteParam param, String format) {
        try {
            IIOMetadata m = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), param);
            String name = m.getNativeMetadataFormatName();
            if (m.isReadOnly() || name == null) {
                return null;
            }
            IIOMetadataNode root = new IIOMetadataNode(name);
            if (format.equals("png") && name.equals("javax_imageio_png_1.0")) {
                IIOMetadataNode srgb = new IIOMetadataNode("sRGB");
                srgb.setAttribute("renderingIntent", "Perceptual");
                IIOMetadataNode gama = new IIOMetadataNode("gAMA");
                gama.setAttribute("value", "45455");
                IIOMetadataNode chrm = new IIOMetadataNode("cHRM");
                chrm.setAttribute("whitePointX", "31270");
                chrm.setAttribute("whitePointY", "32900");
                chrm.setAttribute("redX", "64000");
                chrm.setAttribute("redY", "33000");
                chrm.setAttribute("greenX", "30000");
                chrm.setAttribute("greenY", "60000");
                chrm.setAttribute("blueX", "15000");
                chrm.setAttribute("blueY", "6000");
                root.appendChild(chrm);
                root.appendChild(gama);
                root.appendChild(srgb);
                m.mergeTree(name, root);
                return m;
            }
            if (format.equals("jpeg") && name.equals("javax_imageio_jpeg_image_1.0")) {
                IIOMetadataNode tree = (IIOMetadataNode) m.getAsTree(name);
                org.w3c.dom.NodeList jfif = tree.getElementsByTagName("app0JFIF");
                if (jfif.getLength() == 0) {
                    return m;
                }
                IIOMetadataNode icc = new IIOMetadataNode("app2ICC");
                icc.setUserObject(ICC_Profile.getInstance(ColorSpace.CS_sRGB));
                jfif.item(0).appendChild(icc);
                m.setFromTree(name, tree);
                return m;
            }
            return m;
        } catch (RuntimeException | javax.imageio.metadata.IIOInvalidTreeException e) {
            return null; // untagged is still sRGB by convention
        }
    }

    /** A BufferedImage over the same int[] (no copy); without alpha the top byte is ignored. */
    static BufferedImage wrap(RgbaImage image, boolean alpha) {
        DirectColorModel cm = alpha
                ? new DirectColorModel(32, 0x00FF0000, 0x0000FF00, 0x000000FF, 0xFF000000)
                : new DirectColorModel(24, 0x00FF0000, 0x0000FF00, 0x000000FF, 0);
        DataBufferInt buffer = new DataBufferInt(image.argb(), image.argb().length);
        WritableRaster raster = Raster.createPackedRaster(buffer, image.width(), image.height(), image.width(),
                cm.getMasks(), null);
        return new BufferedImage(cm, raster, false, null);
    }

    /** JPEG has no alpha: composite over white, as most viewers show transparency. */
    static RgbaImage overWhite(RgbaImage image) {
        int[] src = image.argb();
        int[] out = new int[src.length];
        for (int i = 0; i < src.length; i++) {
            int p = src[i];
            int a = p >>> 24;
            int r = ((p >> 16) & 0xFF) * a + 255 * (255 - a);
            int g = ((p >> 8) & 0xFF) * a + 255 * (255 - a);
            int b = (p & 0xFF) * a + 255 * (255 - a);
            out[i] = 0xFF000000 | (r + 127) / 255 << 16 | (g + 127) / 255 << 8 | (b + 127) / 255;
        }
        return new RgbaImage(image.width(), image.height(), out);
    }
}
