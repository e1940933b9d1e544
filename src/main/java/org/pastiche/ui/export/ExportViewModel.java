package org.pastiche.ui.export;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.pastiche.imaging.ImageExporter;
import org.pastiche.imaging.ImageExporter.Format;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.StrokeScale;
import org.pastiche.inference.StyleOptions;
import org.pastiche.inference.Stylizer;
import org.pastiche.ui.AppSettings;
import org.pastiche.ui.ErrorReasons;
import org.pastiche.ui.I18n;
import org.pastiche.ui.ImagingService;
import org.pastiche.ui.Notice;
import org.pastiche.ui.TaskRunner;
import org.pastiche.ui.photo.PhotoSession;
import org.pastiche.ui.preview.Rendered;
import org.pastiche.ui.preview.StrokePainting;
import org.pastiche.ui.task.LatestTask;

/**
 * The export dialog's state: format, quality, resolution and target. Full resolution runs the
 * network on the original (with progress, cancellable) unless 100 % computed it already; view
 * resolution reuses the preview. The target is checked before any work: its extension must name a
 * format the exporter writes (typing one chooses that format), and it must not be the photo.
 * Never writes over the photo it came from (the exporter checks the file itself too).
 */
public final class ExportViewModel {
    public enum Resolution { FULL, VIEW }

    /** Why the target cannot be written, checked from its name alone (no file system in bindings). */
    public enum TargetProblem { NONE, EMPTY, UNSUPPORTED_TYPE, IS_ORIGINAL }

    /** The JPEG quality offered first, in percent: the exporter's own default. */
    public static final int DEFAULT_QUALITY = Math.round(ImageExporter.DEFAULT_JPEG_QUALITY * 100);

    /**
     * What is exported: a snapshot taken when the dialog opens. {@code fullRaw} is the network's
     * output on the original when the 100 % view has computed it already (then not run again), at
     * {@code strokeScale}, the stroke size a new run paints at (null: the stylizer's own).
     */
    public record Source(RgbaImage original, RgbaImage preview, RgbaImage previewRaw, Optional<RgbaImage> fullRaw,
                         Optional<Path> photo, String photoBaseName, String styleId, StyleOptions options,
                         StrokeScale strokeScale, Path folder) {

        /** The photo's original and its sharp preview; {@code full}, if kept, gives the full-resolution output. */
        public static Source of(PhotoSession photo, Rendered sharp, Optional<Rendered> full, StyleOptions options,
                                StrokeScale strokeScale, Path folder) {
            return new Source(photo.original(), sharp.source(), sharp.raw(), full.map(Rendered::raw), photo.file(),
                    photo.baseName(), sharp.styleId(), options, strokeScale, folder);
        }
    }

    private final Source source;
    private final Stylizer stylizer;
    private final ImagingService imaging;
    private final I18n i18n;
    private final AppSettings settings;
    private final Consumer<Notice> notices;
    private final LatestTask task;

    private final ObjectProperty<Format> format = new SimpleObjectProperty<>(this, "format");
    private final IntegerProperty quality = new SimpleIntegerProperty(this, "quality", DEFAULT_QUALITY);
    private final ObjectProperty<Resolution> resolution = new SimpleObjectProperty<>(this, "resolution", Resolution.FULL);
    private final ObjectProperty<Path> target = new SimpleObjectProperty<>(this, "target");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", -1);
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ReadOnlyObjectWrapper<Path> written = new ReadOnlyObjectWrapper<>(this, "written");
    private final ObjectBinding<TargetProblem> problem;
    private final BooleanBinding targetIsOriginal;
    private final BooleanBinding canExport;

    public ExportViewModel(Source source, Stylizer stylizer, ImagingService imaging, TaskRunner runner, I18n i18n,
                           AppSettings settings, Consumer<Notice> notices) {
        this.source = source;
        this.stylizer = stylizer;
        this.imaging = imaging;
        this.i18n = i18n;
        this.settings = settings;
        this.notices = notices;
        this.task = new LatestTask(runner, TaskRunner.Lane.INFERENCE);
        Format remembered = settings.exportFormat().orElse(Format.PNG);
        format.set(remembered);
        target.set(source.folder().resolve(defaultName(remembered)));
        format.addListener((obs, old, now) -> {
            target.set(withExtension(target.get(), now));
            settings.setExportFormat(now);
        });
        // A typed extension chooses its format, so that the two never disagree.
        target.addListener((obs, old, now) -> {
            if (now != null) {
                Format.forPath(now).filter(f -> f != format.get()).ifPresent(format::set);
            }
        });
        problem = Bindings.createObjectBinding(() -> problemOf(target.get()), target);
        targetIsOriginal = Bindings.createBooleanBinding(() -> problem.get() == TargetProblem.IS_ORIGINAL, problem);
        canExport = Bindings.createBooleanBinding(() -> problem.get() == TargetProblem.NONE && !running.get(),
                problem, running);
        target.addListener(o -> error.set(""));
    }

    /** The file extension written for {@code f}. */
    public static String extension(Format f) {
        return f == Format.JPEG ? "jpg" : "png";
    }

    /** {@code <photo>-<style>.<ext>}. */
    public String defaultName(Format f) {
        return source.photoBaseName() + "-" + source.styleId() + "." + extension(f);
    }

    private Path withExtension(Path path, Format now) {
        if (path == null || path.getFileName() == null) {
            return source.folder().resolve(defaultName(now));
        }
        if (Format.forPath(path).equals(Optional.of(now))) {
            return path;
        }
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return path.resolveSibling(stem + "." + extension(now));
    }

    private TargetProblem problemOf(Path candidate) {
        if (candidate == null || candidate.getFileName() == null) {
            return TargetProblem.EMPTY;
        }
        if (Format.forPath(candidate).isEmpty()) {
            return TargetProblem.UNSUPPORTED_TYPE;
        }
        return isOriginalByName(candidate) ? TargetProblem.IS_ORIGINAL : TargetProblem.NONE;
    }

    /** By name only (cheap enough for a binding); the exporter compares the files on disk as well. */
    private boolean isOriginalByName(Path candidate) {
        return source.photo().map(p -> p.toAbsolutePath().normalize())
                .filter(p -> p.equals(candidate.toAbsolutePath().normalize())).isPresent();
    }

    /** True if the target is another existing file, which the person must agree to replace. */
    public boolean targetExists() {
        Path t = target.get();
        return t != null && problem.get() == TargetProblem.NONE && Files.exists(t);
    }

    /** The message for the target's problem, in the UI language, or "" if it can be written. */
    public String problemText() {
        return switch (problem.get()) {
            case NONE -> "";
            case EMPTY -> i18n.get("export.error.empty");
            case UNSUPPORTED_TYPE -> i18n.get("export.error.type");
            case IS_ORIGINAL -> i18n.get("export.is-original");
        };
    }

    /** Starts the export; {@code onDone} runs on the UI thread after the file is written. */
    public void export(Runnable onDone) {
        Path out = target.get();
        if (running.get()) {
            return;
        }
        if (problem.get() != TargetProblem.NONE) {
            error.set(problem.get() == TargetProblem.IS_ORIGINAL ? i18n.get("export.error.original") : problemText());
            return;
        }
        running.set(true);
        progress.set(-1);
        error.set("");
        Format f = format.get();
        float q = quality.get() / 100f;
        boolean full = resolution.get() == Resolution.FULL;
        String name = String.valueOf(out.getFileName());
        List<Path> protect = source.photo().map(List::of).orElse(List.of());
        task.run((report, cancel) -> {
            RgbaImage result;
            if (full) {
                RgbaImage raw = source.fullRaw().isPresent() ? source.fullRaw().get()
                        : StrokePainting.stylize(stylizer, source.original(), source.styleId(), source.strokeScale(),
                                report, cancel);
                cancel.throwIfCancelled();
                result = stylizer.finish(source.original(), raw, source.options());
            } else {
                result = stylizer.finish(source.preview(), source.previewRaw(), source.options());
            }
            cancel.throwIfCancelled();
            imaging.export(result, out, f, q, protect);
            return out;
        }).onProgress((done, total) -> {
            if (total > 0) {
                progress.set((double) done / total);
            }
        }).onSuccess(path -> {
            running.set(false);
            progress.set(1);
            written.set(path);
            settings.setLastExportFolder(path.toAbsolutePath().getParent());
            notices.accept(Notice.saved(i18n.get("export.done", name), path));
            onDone.run();
        }).onFailure(failure -> {
            running.set(false);
            progress.set(-1);
            String reason = ErrorReasons.describe(i18n, failure, out.toString());
            error.set(i18n.get("export.error", name, reason)); // in the dialog, which stays open for another try
        }).onCancelled(() -> {
            running.set(false);
            progress.set(-1);
            notices.accept(Notice.info(i18n.get("export.cancelled")));
        }).start();
    }

    public void cancel() {
        task.cancel();
    }

    public Source source() {
        return source;
    }

    public ObjectProperty<Format> formatProperty() {
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

    /** Why the last export failed, in the UI language; "" when there is nothing to say. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** The file written by the last export, or null. */
    public ReadOnlyObjectProperty<Path> writtenProperty() {
        return written.getReadOnlyProperty();
    }

    public ObjectBinding<TargetProblem> problemProperty() {
        return problem;
    }

    public BooleanBinding targetIsOriginalProperty() {
        return targetIsOriginal;
    }

    public BooleanBinding canExportProperty() {
        return canExport;
    }
}
