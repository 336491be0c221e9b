package dev.thaw.ui.dataset;

import com.sun.javafx.scene.input.DragboardHelper;
import com.sun.javafx.tk.TKClipboard;
import java.io.File;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.event.Event;
import javafx.event.EventType;
import javafx.scene.Node;
import javafx.scene.image.Image;
import javafx.scene.input.DataFormat;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.TransferMode;
import javafx.util.Pair;

/**
 * Drags files from "a file manager" onto a node, for headless tests. Monocle has no OS drag and drop,
 * so this builds what the toolkit builds for an incoming drag: a {@link Dragboard} (through JavaFX's
 * internal {@code DragboardHelper}, around a clipboard that offers copy, move and link like a file
 * manager) and the {@link DragEvent}s of the gesture, fired at the node so its real handlers run.
 * Call on the FX thread.
 */
public final class FileDrag {

    private final Dragboard board;

    public FileDrag(List<File> files) {
        board = DragboardHelper.createDragboard(new FileManagerClipboard());
        board.setContent(Map.of(DataFormat.FILES, files));
    }

    /** Enters and moves over {@code target}; returns the event, which says whether the target accepted the drag. */
    public DragEvent hover(Node target) {
        Event.fireEvent(target, event(target, DragEvent.DRAG_ENTERED));
        DragEvent over = event(target, DragEvent.DRAG_OVER);
        Event.fireEvent(target, over);
        return over;
    }

    /** Drops on {@code target} and leaves; returns whether the target said the drop completed. */
    public boolean drop(Node target) {
        DragEvent dropped = event(target, DragEvent.DRAG_DROPPED);
        Event.fireEvent(target, dropped);
        Event.fireEvent(target, event(target, DragEvent.DRAG_EXITED));
        return dropped.isDropCompleted();
    }

    /** Leaves {@code target} without dropping. */
    public void leave(Node target) {
        Event.fireEvent(target, event(target, DragEvent.DRAG_EXITED));
    }

    private DragEvent event(Node target, EventType<DragEvent> type) {
        return new DragEvent(target, target, type, board, 200, 200, 200, 200, TransferMode.COPY, null, null, null);
    }

    /** What a file manager's drag offers: the files, to copy, move or link. */
    private static final class FileManagerClipboard implements TKClipboard {
        private final Map<DataFormat, Object> content = new HashMap<>();

        @Override
        @SuppressWarnings("removal")
        public void setSecurityContext(java.security.AccessControlContext context) {
        }

        @Override
        public Set<DataFormat> getContentTypes() {
            return content.keySet();
        }

        @Override
        @SafeVarargs
        public final boolean putContent(Pair<DataFormat, Object>... items) {
            content.clear();
            for (Pair<DataFormat, Object> p : items) {
                content.put(p.getKey(), p.getValue());
            }
            return true;
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
            return EnumSet.of(TransferMode.COPY, TransferMode.MOVE, TransferMode.LINK);
        }

        @Override
        public void setDragView(Image image) {
        }

        @Override
        public void setDragViewOffsetX(double offsetX) {
        }

        @Override
        public void setDragViewOffsetY(double offsetY) {
        }

        @Override
        public Image getDragView() {
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
