package org.pastiche.ui;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;

/** The list of keyboard shortcuts (F1), in the UI language. */
final class ShortcutsDialog {
    private static final String[][] SHORTCUTS = {
        {"Ctrl+O", "shortcuts.open"}, {"Ctrl+V", "shortcuts.paste"}, {"Ctrl+S", "shortcuts.export"},
        {"Ctrl+Shift+C", "shortcuts.copy"}, {"← / →", "shortcuts.styles"}, {"Ctrl+G", "shortcuts.compare"},
        {"Ctrl+ + / Ctrl+ −", "shortcuts.zoom"},
        {"Space", "shortcuts.original"}, {"Tab", "shortcuts.tab"}, {"Ctrl+Q", "shortcuts.quit"}, {"F1", "shortcuts.help"},
    };

    private final Alert alert = new Alert(Alert.AlertType.INFORMATION);

    ShortcutsDialog(I18n i18n, Window owner) {
        alert.initOwner(owner);
        alert.setTitle(i18n.get("shortcuts.title"));
        alert.setHeaderText(i18n.get("shortcuts.title"));
        alert.getDialogPane().setId("shortcuts-dialog");
        GridPane grid = new GridPane();
        grid.setHgap(24);
        grid.setVgap(8);
        for (int i = 0; i < SHORTCUTS.length; i++) {
            Label key = new Label(SHORTCUTS[i][0]);
            key.getStyleClass().add("shortcut-key");
            grid.addRow(i, key, new Label(i18n.get(SHORTCUTS[i][1])));
        }
        alert.getDialogPane().setContent(grid);
        alert.getButtonTypes().setAll(new ButtonType(i18n.get("export.close"), ButtonBar.ButtonData.OK_DONE));
    }

    void show() {
        alert.show();
    }
}
