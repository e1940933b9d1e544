package org.pastiche.app;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.input.DataFormat;
import javafx.scene.input.TransferMode;

/**
 * A drag from another program, dropped on a node, through the scene's own drop target (the listener
 * Glass calls): the scene picks the node under the point and fires DRAG_ENTERED, DRAG_OVER and
 * DRAG_DROPPED (or DRAG_EXITED) with a real Dragboard. Call on the FX thread.
 */
final class SceneDrop {
    /** What the drag got: the mode accepted over the node (null: refused), and the mode of the drop. */
    record Result(TransferMode over, TransferMode dropped) { }

    private SceneDrop() {}

    /** Drags {@code content} to the middle of {@code node}; {@code whileOver} runs before the drop. */
    static Result dropOn(Node node, Map<DataFormat, Object> content, Runnable whileOver) throws Exception {
        Scene scene = node.getScene();
        Object peer = com.sun.javafx.scene.SceneHelper.getPeer(scene);
        java.lang.reflect.Field field = Class.forName("com.sun.javafx.tk.quantum.GlassScene")
                .getDeclaredField("dropTargetListener");
        field.setAccessible(true);
        var target = (com.sun.javafx.tk.TKDropTargetListener) field.get(peer);
        Bounds b = node.localToScene(node.getBoundsInLocal());
        double x = b.getCenterX();
        double y = b.getCenterY();
        double sx = x + scene.getWindow().getX() + scene.getX();
        double sy = y + scene.getWindow().getY() + scene.getY();
        target.dragEnter(x, y, sx, sy, TransferMode.COPY, new Dragged(content));
        TransferMode over = target.dragOver(x, y, sx, sy, TransferMode.COPY);
        whileOver.run();
        TransferMode dropped = null;
        if (over != null) {
            dropped = target.drop(x, y, sx, sy, over);
        } else {
            target.dragExit(x, y, sx, sy);
        }
        return new Result(over, dropped);
    }

    /** The dragged data, as Glass wraps a system drag. */
    private static final class Dragged implements com.sun.javafx.tk.TKClipboard {
        private final Map<DataFormat, Object> content;

        Dragged(Map<DataFormat, Object> content) {
            this.content = content;
        }

        @Override
        public void setSecurityContext(java.security.AccessControlContext context) { }

        @Override
        public Set<DataFormat> getContentTypes() {
            return content.keySet();
        }

        @Override
        @SafeVarargs
        public final boolean putContent(javafx.util.Pair<DataFormat, Object>... pairs) {
            throw new UnsupportedOperationException("a drop target only reads");
        }

        @Override
        public Object getContent(DataFormat format) {
            return content.get(format);
        }

        @Override
        public boolean hasContent(DataFormat format) {
            return content.containsKey(format);
        }

        @Override
        public Set<TransferMode> getTransferModes() {
            return EnumSet.of(TransferMode.COPY, TransferMode.MOVE);
        }

        @Override
        public void setDragView(javafx.scene.image.Image image) { }

        @Override
        public void setDragViewOffsetX(double offset) { }

        @Override
        public void setDragViewOffsetY(double offset) { }

        @Override
        public javafx.scene.image.Image getDragView() {
            return null;
        }

        @Override
        public double getDragViewOffsetX() {
            return 0;
        }

        @Override
        public double getDragViewOffsetY() {
            return 0;
        }
    }
}
