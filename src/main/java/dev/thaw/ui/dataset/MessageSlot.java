package dev.thaw.ui.dataset;

import atlantafx.base.controls.Message;
import dev.thaw.ui.common.Icons;
import javafx.beans.InvalidationListener;
import javafx.beans.value.ObservableValue;
import javafx.scene.layout.StackPane;

/**
 * Shows an AtlantaFX {@link Message} whose title and text follow two observables, and nothing while
 * the text is null. The message is built afresh on every change: AtlantaFX 2.0.1's skin copies the
 * description into the title when the title changes after the skin is made, so a bound title shows
 * the wrong words.
 */
final class MessageSlot extends StackPane {

    private final String messageId;
    private final String styleClass;
    private final String icon;
    private final ObservableValue<String> title;
    private final ObservableValue<String> text;
    private final Runnable onClose;
    private Message message;

    /**
     * @param messageId the id the message gets (tests look it up)
     * @param styleClass an AtlantaFX style ({@code Styles.DANGER}) or null
     * @param icon the Ikonli literal of its graphic
     * @param onClose what the close button does; null for no close button
     */
    MessageSlot(String messageId, String styleClass, String icon, ObservableValue<String> title, ObservableValue<String> text,
            Runnable onClose) {
        this.messageId = messageId;
        this.styleClass = styleClass;
        this.icon = icon;
        this.title = title;
        this.text = text;
        this.onClose = onClose;
        InvalidationListener rebuild = o -> rebuild();
        title.addListener(rebuild);
        text.addListener(rebuild);
        visibleProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(() -> text.getValue() != null, text));
        managedProperty().bind(visibleProperty());
        rebuild();
    }

    private void rebuild() {
        String description = text.getValue();
        if (description == null) {
            getChildren().clear();
            message = null;
            return;
        }
        message = new Message(title.getValue(), description, Icons.of(icon));
        message.setId(messageId);
        if (styleClass != null) {
            message.getStyleClass().add(styleClass);
        }
        if (onClose != null) {
            message.setOnClose(e -> onClose.run());
        }
        getChildren().setAll(message);
    }

    /** The message shown now; null while there is none. */
    Message message() {
        return message;
    }
}
