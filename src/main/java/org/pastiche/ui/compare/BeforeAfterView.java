package org.pastiche.ui.compare;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.scene.control.Control;
import javafx.scene.control.Skin;
import javafx.scene.image.Image;

/**
 * Shows two pictures of the same size over each other, split by a draggable divider: the before
 * image on the left of the divider, the after image on the right. Fits the window or shows 100%
 * with panning; {@link #showOriginalProperty()} shows the before image whole.
 */
public class BeforeAfterView extends Control {
    public enum Zoom { FIT, ACTUAL }

    private static final String STYLESHEET =
            BeforeAfterView.class.getResource("before-after-view.css").toExternalForm();

    private final ObjectProperty<Image> beforeImage = new SimpleObjectProperty<>(this, "beforeImage");
    private final ObjectProperty<Image> afterImage = new SimpleObjectProperty<>(this, "afterImage");
    private final DoubleProperty dividerPosition = new SimpleDoubleProperty(this, "dividerPosition", 0.5) {
        @Override
        public void set(double value) {
            super.set(Double.isNaN(value) ? 0.5 : Math.max(0, Math.min(1, value)));
        }
    };
    private final ObjectProperty<Zoom> zoom = new SimpleObjectProperty<>(this, "zoom", Zoom.FIT);
    private final BooleanProperty showOriginal = new SimpleBooleanProperty(this, "showOriginal");
    private final StringProperty beforeLabel = new SimpleStringProperty(this, "beforeLabel", "Before");
    private final StringProperty afterLabel = new SimpleStringProperty(this, "afterLabel", "After");

    public BeforeAfterView() {
        getStyleClass().add("before-after-view");
        setFocusTraversable(false);
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new BeforeAfterViewSkin(this);
    }

    @Override
    public String getUserAgentStylesheet() {
        return STYLESHEET;
    }

    public ObjectProperty<Image> beforeImageProperty() {
        return beforeImage;
    }

    public Image getBeforeImage() {
        return beforeImage.get();
    }

    public void setBeforeImage(Image value) {
        beforeImage.set(value);
    }

    public ObjectProperty<Image> afterImageProperty() {
        return afterImage;
    }

    public Image getAfterImage() {
        return afterImage.get();
    }

    public void setAfterImage(Image value) {
        afterImage.set(value);
    }

    /** Where the divider stands across the picture, 0 (left edge) to 1 (right edge). */
    public DoubleProperty dividerPositionProperty() {
        return dividerPosition;
    }

    public double getDividerPosition() {
        return dividerPosition.get();
    }

    public void setDividerPosition(double value) {
        dividerPosition.set(value);
    }

    public ObjectProperty<Zoom> zoomProperty() {
        return zoom;
    }

    public Zoom getZoom() {
        return zoom.get();
    }

    public void setZoom(Zoom value) {
        zoom.set(value);
    }

    public BooleanProperty showOriginalProperty() {
        return showOriginal;
    }

    public boolean isShowOriginal() {
        return showOriginal.get();
    }

    public void setShowOriginal(boolean value) {
        showOriginal.set(value);
    }

    public StringProperty beforeLabelProperty() {
        return beforeLabel;
    }

    public StringProperty afterLabelProperty() {
        return afterLabel;
    }
}
