package org.pastiche.ui.export;

import atlantafx.base.theme.Styles;
import java.io.File;
import java.nio.file.Path;
import javafx.beans.binding.Bindings;
import javafx.event.ActionEvent;
import javafx.geometry.Insets;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.RadioButton;
import javafx.scene.control.Slider;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javafx.util.StringConverter;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignA;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.pastiche.imaging.ImageExporter.Format;
import org.pastiche.ui.I18n;

/**
 * The export dialog: format, JPEG quality, full or view resolution and the file; shows the
 * full-resolution progress and cancels it. Closes when the file is written. Every text is bound to
 * the UI language, so the dialog relabels when the language changes while it is open.
 */
public final class ExportDialog {
    private final Dialog<ButtonType> dialog = new Dialog<>();
    private final ExportViewModel vm;
    private final I18n i18n;

    public ExportDialog(ExportViewModel vm, I18n i18n, Window owner) {
        this.vm = vm;
        this.i18n = i18n;
        dialog.initOwner(owner);
        dialog.titleProperty().bind(i18n.text("export.title"));
        dialog.setHeaderText(null);
        dialog.getDialogPane().setId("export-dialog");
        dialog.getDialogPane().getStyleClass().add("export-dialog");
        if (owner != null && owner.getScene() != null) {
            dialog.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
        }

        ButtonType exportType = new ButtonType(i18n.get("export.button"), ButtonBar.ButtonData.OK_DONE);
        ButtonType cancelType = new ButtonType(i18n.get("export.cancel"), ButtonBar.ButtonData.CANCEL_CLOSE);
        // A ButtonType's text is fixed: the buttons made from them follow the language instead.
        dialog.getDialogPane().getButtonTypes().setAll(exportType, cancelType);
        Button exportButton = (Button) dialog.getDialogPane().lookupButton(exportType);
        exportButton.setId("export-confirm");
        exportButton.textProperty().bind(i18n.text("export.button"));
        exportButton.getStyleClass().add(Styles.ACCENT);
        exportButton.disableProperty().bind(vm.canExportProperty().not());
        Button cancelButton = (Button) dialog.getDialogPane().lookupButton(cancelType);
        cancelButton.setId("export-cancel");
        cancelButton.textProperty().bind(i18n.text("export.cancel"));

        dialog.getDialogPane().setContent(form());

        exportButton.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume();
            if (vm.targetExists() && !confirmReplace()) {
                return;
            }
            vm.export(() -> {
                dialog.setResult(exportType);
                dialog.close();
            });
        });
        cancelButton.addEventFilter(ActionEvent.ACTION, e -> {
            if (vm.runningProperty().get()) {
                e.consume(); // the first press stops the export, the dialog stays for another try
                vm.cancel();
            }
        });
        dialog.setOnCloseRequest(e -> vm.cancel());
    }

    private VBox form() {
        Label title = new Label(null, new FontIcon(MaterialDesignF.FILE_IMAGE_OUTLINE));
        title.setId("export-header");
        title.textProperty().bind(i18n.text("export.header"));
        title.getStyleClass().add(Styles.TITLE_3);

        ToggleGroup formats = new ToggleGroup();
        ToggleButton png = new ToggleButton();
        png.textProperty().bind(i18n.text("export.format.png"));
        png.setId("export-png");
        png.getStyleClass().add(Styles.LEFT_PILL);
        ToggleButton jpeg = new ToggleButton();
        jpeg.textProperty().bind(i18n.text("export.format.jpeg"));
        jpeg.setId("export-jpeg");
        jpeg.getStyleClass().add(Styles.RIGHT_PILL);
        png.setToggleGroup(formats);
        jpeg.setToggleGroup(formats);
        (vm.formatProperty().get() == Format.PNG ? png : jpeg).setSelected(true);
        formats.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now == null) {
                old.setSelected(true); // a pill group always has one chosen
            } else {
                vm.formatProperty().set(now == png ? Format.PNG : Format.JPEG);
            }
        });

        Slider quality = new Slider(1, 100, vm.qualityProperty().get());
        quality.setId("export-quality");
        quality.valueProperty().bindBidirectional(vm.qualityProperty());
        quality.disableProperty().bind(vm.formatProperty().isNotEqualTo(Format.JPEG));
        quality.setPrefWidth(220);
        Label qualityValue = new Label();
        qualityValue.textProperty().bind(vm.qualityProperty().asString());
        qualityValue.disableProperty().bind(quality.disableProperty());

        var source = vm.source();
        ToggleGroup sizes = new ToggleGroup();
        RadioButton full = new RadioButton();
        full.textProperty().bind(i18n.text("export.resolution.full", source.original().width(),
                source.original().height()));
        full.setId("export-full");
        RadioButton view = new RadioButton();
        view.textProperty().bind(i18n.text("export.resolution.view", source.preview().width(),
                source.preview().height()));
        view.setId("export-view");
        full.setToggleGroup(sizes);
        view.setToggleGroup(sizes);
        (vm.resolutionProperty().get() == ExportViewModel.Resolution.FULL ? full : view).setSelected(true);
        sizes.selectedToggleProperty().addListener((obs, old, now) -> vm.resolutionProperty().set(
                now == view ? ExportViewModel.Resolution.VIEW : ExportViewModel.Resolution.FULL));

        TextField file = new TextField();
        file.setId("export-target");
        file.setPrefColumnCount(30);
        Bindings.bindBidirectional(file.textProperty(), vm.targetProperty(), new StringConverter<>() {
            @Override
            public String toString(Path path) {
                return path == null ? "" : path.toString();
            }

            @Override
            public Path fromString(String text) {
                try {
                    return text == null || text.isBlank() ? null : Path.of(text.strip());
                } catch (RuntimeException e) {
                    return null;
                }
            }
        });
        Button choose = new Button(null, new FontIcon(MaterialDesignF.FOLDER_OPEN_OUTLINE));
        choose.setId("export-choose");
        choose.textProperty().bind(i18n.text("export.choose"));
        choose.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        choose.setOnAction(e -> chooseFile());
        HBox fileRow = new HBox(8, file, choose);
        HBox.setHgrow(file, Priority.ALWAYS);

        // The target's problem (from its name) or the last export's failure, in the dialog itself.
        Label problem = new Label(null, new FontIcon(MaterialDesignA.ALERT_OUTLINE));
        problem.setId("export-problem");
        problem.textProperty().bind(Bindings.createStringBinding(() -> vm.errorProperty().get().isEmpty()
                ? vm.problemText() : vm.errorProperty().get(), vm.problemProperty(), vm.errorProperty(),
                i18n.localeProperty()));
        problem.getStyleClass().add(Styles.DANGER);
        problem.setWrapText(true);
        problem.setMaxWidth(460);
        problem.visibleProperty().bind(problem.textProperty().isNotEmpty());
        // Always laid out (only shown or hidden): the dialog's window does not grow when content appears.

        GridPane grid = new GridPane();
        grid.setHgap(14);
        grid.setVgap(12);
        grid.addRow(0, fieldLabel("export.format"), new HBox(png, jpeg));
        grid.addRow(1, fieldLabel("export.quality"), new HBox(10, quality, qualityValue));
        grid.addRow(2, fieldLabel("export.resolution"), new VBox(6, full, view));
        grid.addRow(3, fieldLabel("export.file"), fileRow);
        grid.add(problem, 1, 4);

        ProgressBar progress = new ProgressBar();
        progress.setId("export-progress");
        progress.setMaxWidth(Double.MAX_VALUE);
        progress.progressProperty().bind(vm.progressProperty());
        Label progressText = new Label();
        progressText.setId("export-progress-text");
        progressText.textProperty().bind(Bindings.createStringBinding(() -> {
            double p = vm.progressProperty().get();
            return p < 0 ? i18n.get("export.progress") : i18n.get("export.progress.percent", p);
        }, vm.progressProperty(), i18n.localeProperty()));
        progressText.getStyleClass().add(Styles.TEXT_MUTED);
        VBox progressBox = new VBox(6, progressText, progress);
        progressBox.visibleProperty().bind(vm.runningProperty());

        VBox content = new VBox(18, title, grid, progressBox);
        content.setPadding(new Insets(10, 18, 4, 18));
        content.setPrefWidth(640);
        return content;
    }

    private Label fieldLabel(String key) {
        Label label = new Label();
        label.setId(key.replace('.', '-') + "-label");
        label.textProperty().bind(i18n.text(key));
        label.getStyleClass().add("field-label");
        return label;
    }

    private void chooseFile() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(i18n.get("export.title"));
        Path target = vm.targetProperty().get();
        if (target != null && target.getParent() != null && target.getParent().toFile().isDirectory()) {
            chooser.setInitialDirectory(target.getParent().toFile());
            chooser.setInitialFileName(String.valueOf(target.getFileName()));
        }
        Format format = vm.formatProperty().get();
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(
                i18n.get("export.filter." + format.name().toLowerCase(java.util.Locale.ROOT)),
                "*." + ExportViewModel.extension(format)));
        File chosen = chooser.showSaveDialog(dialog.getDialogPane().getScene().getWindow());
        if (chosen != null) {
            vm.targetProperty().set(chosen.toPath());
        }
    }

    private boolean confirmReplace() {
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION);
        alert.initOwner(dialog.getDialogPane().getScene().getWindow());
        alert.setTitle(i18n.get("export.replace.title"));
        alert.setHeaderText(i18n.get("export.replace.header", String.valueOf(vm.targetProperty().get().getFileName())));
        alert.setContentText(i18n.get("export.replace.content"));
        alert.getDialogPane().setId("export-replace");
        // Own buttons: the default OK/Cancel follow the system's language, not the app's.
        ButtonType replace = new ButtonType(i18n.get("export.replace.confirm"), ButtonBar.ButtonData.OK_DONE);
        ButtonType keep = new ButtonType(i18n.get("export.cancel"), ButtonBar.ButtonData.CANCEL_CLOSE);
        alert.getButtonTypes().setAll(replace, keep);
        alert.getDialogPane().lookupButton(replace).setId("export-replace-confirm");
        return alert.showAndWait().filter(b -> b == replace).isPresent();
    }

    /** Shows the dialog without blocking the caller. */
    public void show() {
        dialog.show();
    }

    public Dialog<ButtonType> dialog() {
        return dialog;
    }
}
