package dev.thaw.ui.common;

import atlantafx.base.controls.Message;
import atlantafx.base.theme.Styles;
import javafx.beans.property.StringProperty;
import javafx.scene.layout.StackPane;

/**
 * A dismissable AtlantaFX message that shows while {@code text} holds something and hides when it
 * is null or blank; closing it clears {@code text}. Used for notifications and errors that name the
 * file or run, never a stack trace.
 */
public final class Banner extends StackPane {

    /** How the banner looks. */
    public enum Kind { INFO, SUCCESS, WARNING, DANGER }

    public Banner(String id, Kind kind, String title, StringProperty text) {
        setId(id);
        String icon = switch (kind) {
            case INFO -> "mdi2i-information-outline";
            case SUCCESS -> "mdi2c-check-circle-outline";
            case WARNING -> "mdi2a-alert-outline";
            case DANGER -> "mdi2a-alert-circle-outline";
        };
        Message m = new Message(title, "", Icons.of(icon));
        m.getStyleClass().add(switch (kind) {
            case INFO -> Styles.ACCENT;
            case SUCCESS -> Styles.SUCCESS;
            case WARNING -> Styles.WARNING;
            case DANGER -> Styles.DANGER;
        });
        m.descriptionProperty().bind(text);
        m.setOnClose(e -> text.set(null));
        getChildren().add(m);
        managedProperty().bind(visibleProperty());
        visibleProperty().bind(text.isNotNull().and(text.isNotEmpty()));
    }
}
