package org.pastiche.ui.compare;

import atlantafx.base.theme.Styles;
import javafx.animation.PauseTransition;
import javafx.beans.InvalidationListener;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignI;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.ui.FxImages;
import org.pastiche.ui.I18n;
import org.pastiche.ui.IdentityCache;
import org.pastiche.ui.MainViewModel;
import org.pastiche.ui.preview.ShownPainting;

/**
 * The large area in the middle: the before/after view, the empty state, the busy spinner and the
 * full-resolution pill. Converted images are cached by their pixels' identity, so that Fit &lt;-&gt; 100 %
 * does not convert the full-resolution original (48 MB at 12 MP) again each time.
 */
public final class CompareAreaView {
    /** Before: preview and original; after: quick, sharp and full-resolution paintings. */
    private static final int CACHED_IMAGES = 2;

    private final BeforeAfterView compare = new BeforeAfterView();
    private final IdentityCache<RgbaImage, Image> beforeImages = new IdentityCache<>(CACHED_IMAGES, FxImages::toFx);
    private final IdentityCache<RgbaImage, Image> afterImages = new IdentityCache<>(CACHED_IMAGES, FxImages::toFx);
    /** How long a size must last before the preview follows it. */
    static final Duration SETTLE = Duration.millis(350);

    private final StackPane area;

    public CompareAreaView(MainViewModel vm, I18n i18n) {
        compare.setId("compare-view");
        // A Tab stop: with the picture focused, Space holds the original (elsewhere it presses buttons).
        compare.setFocusTraversable(true);
        compare.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> compare.requestFocus());
        compare.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.SPACE) {
                compare.setShowOriginal(true);
                e.consume();
            }
        });
        compare.addEventHandler(KeyEvent.KEY_RELEASED, e -> {
            if (e.getCode() == KeyCode.SPACE) {
                compare.setShowOriginal(false);
                e.consume();
            }
        });
        compare.focusedProperty().addListener((obs, was, focused) -> {
            if (!focused) {
                compare.setShowOriginal(false);
            }
        });
        // The wheel zooms: up to 100 %, down to Fit.
        compare.addEventHandler(ScrollEvent.SCROLL, e -> {
            if (e.getDeltaY() != 0) {
                compare.setZoom(e.getDeltaY() > 0 ? BeforeAfterView.Zoom.ACTUAL : BeforeAfterView.Zoom.FIT);
                e.consume();
            }
        });
        compare.beforeImageProperty().bind(Bindings.createObjectBinding(
                () -> beforeImages.get(vm.beforeImageProperty().get()), vm.beforeImageProperty()));
        compare.afterImageProperty().bind(Bindings.createObjectBinding(() -> {
            ShownPainting shown = vm.shownProperty().get();
            return shown == null ? null : afterImages.get(shown.image());
        }, vm.shownProperty()));
        compare.beforeLabelProperty().bind(i18n.text("compare.before"));
        compare.afterLabelProperty().bind(i18n.text("compare.after"));

        Label emptyIcon = new Label(null, new FontIcon(MaterialDesignI.IMAGE_PLUS));
        emptyIcon.getStyleClass().add("empty-icon");
        Label emptyTitle = new Label();
        emptyTitle.textProperty().bind(i18n.text("compare.empty"));
        emptyTitle.getStyleClass().add(Styles.TITLE_3);
        Label emptyHint = new Label();
        emptyHint.textProperty().bind(i18n.text("compare.empty.hint"));
        emptyHint.getStyleClass().add(Styles.TEXT_MUTED);
        VBox empty = new VBox(10, emptyIcon, emptyTitle, emptyHint);
        empty.setId("empty-state");
        empty.setAlignment(Pos.CENTER);
        empty.getStyleClass().add("empty-state");
        empty.setMouseTransparent(true);
        empty.visibleProperty().bind(vm.beforeImageProperty().isNull());

        ProgressIndicator busy = new ProgressIndicator();
        busy.setId("preview-busy");
        busy.getStyleClass().add("preview-busy");
        busy.visibleProperty().bind(vm.stylizingProperty().or(vm.loadingProperty()));
        busy.setMouseTransparent(true);
        busy.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
        StackPane.setAlignment(busy, Pos.BOTTOM_RIGHT);

        // At 100 % the painting at the photo's resolution is computed in the background: a small pill says so.
        // A spinner (a determinate one is unreadable this small); the label gives the percentage.
        ProgressIndicator fullBusy = new ProgressIndicator(ProgressIndicator.INDETERMINATE_PROGRESS);
        Label fullText = new Label();
        fullText.textProperty().bind(Bindings.createStringBinding(() -> {
            double p = vm.fullResolutionProgressProperty().get();
            return p <= 0 ? i18n.get("compare.full.pending") : i18n.get("compare.full.progress", p);
        }, vm.fullResolutionProgressProperty(), i18n.localeProperty()));
        HBox fullPill = new HBox(8, fullBusy, fullText);
        fullPill.setId("full-resolution-progress");
        fullPill.getStyleClass().add("full-resolution-pill");
        fullPill.setAlignment(Pos.CENTER_LEFT);
        fullPill.setMouseTransparent(true);
        fullPill.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
        fullPill.visibleProperty().bind(vm.fullResolutionPendingProperty().and(vm.actualSizeProperty()));
        StackPane.setAlignment(fullPill, Pos.BOTTOM_CENTER);

        // Kept in step both ways: the toolbar and double-click zoom the view, the view model can too.
        vm.actualSizeProperty().set(compare.getZoom() == BeforeAfterView.Zoom.ACTUAL);
        compare.zoomProperty().addListener((obs, old, zoom) ->
                vm.actualSizeProperty().set(zoom == BeforeAfterView.Zoom.ACTUAL));
        vm.actualSizeProperty().addListener((obs, old, actual) ->
                compare.setZoom(actual ? BeforeAfterView.Zoom.ACTUAL : BeforeAfterView.Zoom.FIT));

        area = new StackPane(compare, empty, busy, fullPill);
        area.getStyleClass().add("compare-area");
        area.setMinSize(320, 240);
        // The view model hears of a size once it has lasted a moment (a window drag is many sizes).
        PauseTransition settle = new PauseTransition(SETTLE);
        settle.setOnFinished(e -> vm.viewportLongSideProperty().set(longSide()));
        InvalidationListener resized = o -> settle.playFromStart();
        area.widthProperty().addListener(resized);
        area.heightProperty().addListener(resized);
    }

    /** Puts {@code node} over the picture (the notifications, top right). */
    public void overlay(Node node) {
        area.getChildren().add(node);
    }

    private int longSide() {
        return (int) Math.max(area.getWidth(), area.getHeight());
    }

    public Node node() {
        return area;
    }

    public BeforeAfterView compareView() {
        return compare;
    }
}
