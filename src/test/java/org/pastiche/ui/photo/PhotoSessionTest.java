package org.pastiche.ui.photo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.ui.FakeImaging;

class PhotoSessionTest {
    private final RgbaImage preview = FakeImaging.photo(400, 300, 1);
    private final RgbaImage quick = FakeImaging.photo(256, 192, 1);

    private PhotoSession session(String name) {
        return new PhotoSession(Optional.of(Path.of("photos", name)), name, preview, quick, null);
    }

    @Test
    void theOriginalComesLaterAndTheSessionStaysTheSamePhoto() {
        PhotoSession first = session("dog.jpg");
        assertFalse(first.hasOriginal());
        assertFalse(first.needsFullResolutionPass(), "unknown until decoded");
        RgbaImage full = FakeImaging.photo(800, 600, 1);
        PhotoSession decoded = first.withOriginal(full);
        assertSame(full, decoded.original());
        assertTrue(decoded.isSamePhoto(first));
        assertTrue(decoded.needsFullResolutionPass());
        assertFalse(first.hasOriginal(), "immutable");
    }

    @Test
    void anotherPhotoIsNotTheSameEvenWithTheSameName() {
        PhotoSession other = new PhotoSession(Optional.of(Path.of("photos", "dog.jpg")), "dog.jpg",
                preview, FakeImaging.photo(256, 192, 1), null);
        assertFalse(other.isSamePhoto(session("dog.jpg")));
        assertFalse(other.isSamePhoto(null));
    }

    @Test
    void aPhotoNoLargerThanItsPreviewNeedsNoFullPass() {
        assertFalse(session("a.png").withOriginal(preview).needsFullResolutionPass());
        assertTrue(session("a.png").hasQuickPass());
        assertFalse(new PhotoSession(Optional.empty(), "x", quick, quick, quick).hasQuickPass());
    }

    @Test
    void namesAndFolders() {
        assertEquals("dog", session("dog.jpg").baseName());
        assertEquals("photo", session(" .jpg").baseName());
        assertEquals("archive.tar", session("archive.tar.gz").baseName());
        assertEquals(Path.of("photos").toAbsolutePath(), session("dog.jpg").folder().orElseThrow());
        assertTrue(new PhotoSession(Optional.empty(), "Pasted", preview, quick, preview).folder().isEmpty());
    }

    @Test
    void refusesMissingParts() {
        assertThrows(NullPointerException.class, () -> new PhotoSession(Optional.empty(), "x", null, quick, null));
        assertThrows(NullPointerException.class, () -> session("a").withOriginal(null));
    }
}
