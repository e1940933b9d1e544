package org.pastiche.ui.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.pastiche.core.CancellationToken;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.StyleOptions;
import org.pastiche.inference.Stylizer;
import org.pastiche.ui.ErrorReasons;
import org.pastiche.ui.I18n;
import org.pastiche.ui.ImagingService;
import org.pastiche.ui.ImagingService.ExportFormat;
import org.pastiche.ui.Notice;
import org.pastiche.ui.TaskRunner;

/**
 * The export dialog's state: format, quality, resolution and target. Full resolution runs the
 * network on the original (with progress, cancellable); view resolution reuses the preview.
 * Never writes over the photo it came from.
 */
public final class ExportViewModel {
    public enum Resolution { FULL, VIEW }

    /**
     * What is exported: a snapshot taken when the dialog opens. {@code fullRaw} is the network's
     * output on the original when the 100 % view has computed it already (then not run again).
     */
    public record Source(RgbaImage original, RgbaImage preview, RgbaImage previewRaw, Optional<RgbaImage> fullRaw,
                         Optional<Path> photo, String photoBaseName, String styleId, StyleOptions options,
                         Path folder) { }

    private final Source source;
    private final Stylizer stylizer;
    private final ImagingService imaging;
    private final TaskRunner runner;
    private final I18n i18n;
    private final Consumer<Notice> notices;

    private final ObjectProperty<ExportFormat> format = new SimpleObjectProperty<>(this, "format", ExportFormat.PNG);
    private final IntegerProperty quality = new SimpleIntegerProperty(this, "quality", 92);
    private final ObjectProperty<Resolution> resolution = new SimpleObjectProperty<>(this, "resolution", Resolution.FULL);
    private final ObjectProperty<Path> target = new SimpleObjectProperty<>(this, "target");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", -1);
    private final BooleanBinding targetIsOriginal;
    private final BooleanBinding canExport;
    private CancellationToken token = new CancellationToken();

    public ExportViewModel(Source source, Stylizer stylizer, ImagingService imaging, TaskRunner runner, I18n i18n,
                           Consumer<Notice> notices) {
        this.source = source;
        this.stylizer = stylizer;
        this.imaging = imaging;
        this.runner = runner;
        this.i18n = i18n;
        this.notices = notices;
        target.set(source.folder().resolve(defaultName(ExportFormat.PNG)));
        format.addListener((obs, old, now) -> target.set(withExtension(target.get(), old, now)));
        targetIsOriginal = Bindings.createBooleanBinding(() -> isOriginal(target.get()), target);
        canExport = Bindings.createBooleanBinding(
                () -> target.get() != null && !running.get() && !isOriginal(target.get()), target, running);
    }

    /** {@code <photo>-<style>.<ext>}. */
    public String defaultName(ExportFormat f) {
        return source.photoBaseName() + "-" + source.styleId() + "." + f.extension();
    }

    private Path withExtension(Path path, ExportFormat old, ExportFormat now) {
        if (path == null) {
            return source.folder().resolve(defaultName(now));
        }
        String name = path.getFileName().toString();
        String lower = name.toLowerCase();
        for (String ext : new String[] {"." + old.extension(), ".jpeg", ".png", ".jpg"}) {
            if (lower.endsWith(ext)) {
                return path.resolveSibling(name.substring(0, name.length() - ext.length()) + "." + now.extension());
            }
        }
        return path.resolveSibling(name + "." + now.extension());
    }

    private boolean isOriginal(Path candidate) {
        if (candidate == null || source.photo().isEmpty()) {
            return false;
        }
        Path photo = source.photo().get();
        try {
            if (Files.exists(candidate) && Files.exists(photo)) {
                return Files.isSameFile(candidate, photo);
            }
        } catch (IOException e) {
            // fall through to comparing names
        }
        return candidate.toAbsolutePath().normalize().equals(photo.toAbsolutePath().normalize());
    }

    /** True if the target is another existing file, which the person must agree to replace. */
    public boolean targetExists() {
        Path t = target.get();
        return t != null && Files.exists(t) && !isOriginal(t);
    }

    /** Starts the export; {@code onDone} runs on the UI thread after the file is written. */
    public void export(Runnable onDone) {
        Path out = target.get();
        if (out == null || running.get()) {
            return;
        }
        if (isOriginal(out)) {
            notices.accept(Notice.error(i18n.get("export.error.original")));
            return;
        }
        token = new CancellationToken();
        running.set(true);
        progress.set(-1);
        ExportFormat f = format.get();
        float q = quality.get() / 100f;
        boolean full = resolution.get() == Resolution.FULL;
        String name = String.valueOf(out.getFileName());
        runner.submit(full ? TaskRunner.Lane.INFERENCE : TaskRunner.Lane.IO, token, (report, cancel) -> {
            RgbaImage result;
            if (full) {
                RgbaImage raw = source.fullRaw().isPresent() ? source.fullRaw().get()
                        : stylizer.stylize(source.original(), source.styleId(), report, cancel);
                cancel.throwIfCancelled();
                result = stylizer.finish(source.original(), raw, source.options());
            } else {
                result = stylizer.finish(source.preview(), source.previewRaw(), source.options());
            }
            cancel.throwIfCancelled();
            imaging.export(result, out, f, q, source.photo().map(java.util.List::of).orElse(java.util.List.of()));
            return out;
        }, new TaskRunner.Outcome<Path>() {
            @Override
            public void succeeded(Path written) {
                running.set(false);
                progress.set(1);
                notices.accept(Notice.success(i18n.get("export.done", name)));
                onDone.run();
            }

            @Override
            public void failed(Throwable error) {
                running.set(false);
                String reason = ErrorReasons.describe(i18n, error, out.toString());
                notices.accept(Notice.error(i18n.get("export.error", name, reason)));
            }

            @Override
            public void cancelled() {
                running.set(false);
                progress.set(-1);
                notices.accept(Notice.info(i18n.get("export.cancelled")));
            }

            @Override
            public void progress(long done, long total) {
                if (total > 0) {
                    progress.set((double) done / total);
                }
            }
        });
    }

    public void cancel() {
        token.cancel();
    }

    public Source source() {
        return source;
    }

    public ObjectProperty<ExportFormat> formatProperty() {
        return format;
    }

    /** JPEG quality, 1..100. */
    public IntegerProperty qualityProperty() {
        return quality;
    }

    public ObjectProperty<Resolution> resolutionProperty() {
        return resolution;
    }

    public ObjectProperty<Path> targetProperty() {
        return target;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** 0..1, or -1 while the amount of work is unknown. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public BooleanBinding targetIsOriginalProperty() {
        return targetIsOriginal;
    }

    public BooleanBinding canExportProperty() {
        return canExport;
    }
}
