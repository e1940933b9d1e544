package org.pastiche.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import org.pastiche.imaging.ImageExporter;
import org.pastiche.inference.StrokeScale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the app remembers between runs, in {@link java.util.prefs}. */
public final class AppSettings {
    private static final Logger LOG = LoggerFactory.getLogger(AppSettings.class);

    private final Preferences node;

    public AppSettings(Preferences node) {
        this.node = node;
    }

    public Optional<String> lastStyle() {
        return Optional.ofNullable(node.get("lastStyle", null));
    }

    public void setLastStyle(String id) {
        node.put("lastStyle", id);
    }

    public Optional<Path> lastFolder() {
        return Optional.ofNullable(node.get("lastFolder", null)).map(Path::of).filter(Files::isDirectory);
    }

    public void setLastFolder(Path folder) {
        node.put("lastFolder", folder.toAbsolutePath().toString());
    }

    public Optional<Locale> language() {
        return Optional.ofNullable(node.get("language", null)).map(Locale::forLanguageTag);
    }

    public void setLanguage(Locale locale) {
        node.put("language", locale.toLanguageTag());
    }

    /** The format chosen in the last export. */
    public Optional<ImageExporter.Format> exportFormat() {
        String name = node.get("exportFormat", null);
        return java.util.Arrays.stream(ImageExporter.Format.values()).filter(f -> f.name().equals(name)).findFirst();
    }

    public void setExportFormat(ImageExporter.Format format) {
        node.put("exportFormat", format.name());
    }

    /** The folder of the last export, if it still exists. */
    public Optional<Path> lastExportFolder() {
        return Optional.ofNullable(node.get("lastExportFolder", null)).map(Path::of).filter(Files::isDirectory);
    }

    /** Where an image without a folder of its own is saved: the last export's folder, else Pictures, else home. */
    public Path defaultExportFolder() {
        return lastExportFolder().orElseGet(() -> {
            Path home = Path.of(System.getProperty("user.home"));
            Path pictures = home.resolve("Pictures");
            return Files.isDirectory(pictures) ? pictures : home;
        });
    }

    public void setLastExportFolder(Path folder) {
        if (folder != null) {
            node.put("lastExportFolder", folder.toAbsolutePath().toString());
        }
    }

    /** The stroke size chosen last; empty if none (or unreadable). */
    public Optional<StrokeScale> strokeScale() {
        String saved = node.get("strokeScale", null);
        try {
            return Optional.ofNullable(saved).map(StrokeScale::parse);
        } catch (IllegalArgumentException e) {
            LOG.warn("ignoring the saved stroke size: {}", e.getMessage());
            return Optional.empty();
        }
    }

    public void setStrokeScale(StrokeScale scale) {
        if (scale != null) {
            node.put("strokeScale", scale.toString());
        }
    }

    public boolean darkTheme() {
        return node.getBoolean("darkTheme", false);
    }

    public void setDarkTheme(boolean dark) {
        node.putBoolean("darkTheme", dark);
    }

    /** Window width, height; the defaults fit a 1366x768 screen. */
    public double[] windowSize() {
        return new double[] {node.getDouble("windowWidth", 1280), node.getDouble("windowHeight", 800)};
    }

    public void setWindowSize(double width, double height) {
        node.putDouble("windowWidth", width);
        node.putDouble("windowHeight", height);
    }

    public void flush() {
        try {
            node.flush();
        } catch (BackingStoreException e) {
            LOG.warn("could not save settings: {}", e.getMessage());
        }
    }
}
