package org.pastiche.ui;

import atlantafx.base.controls.Notification;
import atlantafx.base.theme.Styles;
import java.nio.file.Path;
import java.util.function.Consumer;
import javafx.animation.PauseTransition;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignA;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignI;

/**
 * The toasts over the compare area: the view model's notices, at most three, dismissed after a while.
 * A new photo clears the error toasts of the one before; a saved file's toast can show its folder.
 */
final class NotificationsView {
    private static final int MAX_SHOWN = 3;
    private final VBox layer = new VBox(10);

    private final I18n i18n;
    private final Consumer<Path> reveal;

    NotificationsView(MainViewModel vm, I18n i18n, Consumer<Path> reveal) {
        this.i18n = i18n;
        this.reveal = reveal;
        layer.getStyleClass().add("notification-layer");
        layer.setId("notifications");
        layer.setPickOnBounds(false);
        layer.setMaxWidth(420);
        layer.setMaxHeight(Region.USE_PREF_SIZE);
        StackPane.setAlignment(layer, Pos.TOP_RIGHT);
        vm.noticeProperty().addListener((obs, old, notice) -> {
            if (notice != null) {
                show(notice);
            }
        });
        vm.photoProperty().addListener((obs, old, photo) -> {
            if (photo != null && !photo.isSamePhoto(old)) {
                layer.getChildren().removeIf(n -> n.getStyleClass().contains(Styles.DANGER));
            }
        });
        if (vm.noticeProperty().get() != null) {
            show(vm.noticeProperty().get()); // raised while the window was being built
        }
    }

    VBox node() {
        return layer;
    }

    private void show(Notice notice) {
        Ikon icon = switch (notice.kind()) {
            case ERROR -> MaterialDesignA.ALERT_CIRCLE_OUTLINE;
            case SUCCESS -> MaterialDesignC.CHECK_CIRCLE_OUTLINE;
            case INFO -> MaterialDesignI.INFORMATION_OUTLINE;
        };
        Notification n = new Notification(notice.message(), new FontIcon(icon));
        n.getStyleClass().addAll(Styles.ELEVATED_2, "app-notification", switch (notice.kind()) {
            case ERROR -> Styles.DANGER;
            case SUCCESS -> Styles.SUCCESS;
            case INFO -> Styles.ACCENT;
        });
        notice.file().ifPresent(file -> {
            Button show = new Button(i18n.get("export.show-folder"));
            show.setId("notification-show-folder");
            show.setOnAction(e -> {
                reveal.accept(file);
                layer.getChildren().remove(n);
            });
            n.setPrimaryActions(show);
        });
        n.setPrefWidth(400);
        n.setMaxHeight(Region.USE_PREF_SIZE);
        n.setOnClose(e -> layer.getChildren().remove(n));
        layer.getChildren().add(n);
        if (layer.getChildren().size() > MAX_SHOWN) {
            layer.getChildren().remove(0);
        }
        PauseTransition dismiss = new PauseTransition(Duration.seconds(notice.kind() == Notice.Kind.ERROR ? 10 : 5));
        dismiss.setOnFinished(e -> layer.getChildren().remove(n));
        dismiss.play();
    }
}
