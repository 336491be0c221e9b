package dev.thaw.ui.common;

import org.kordamp.ikonli.javafx.FontIcon;

/** Icons by Ikonli literal (Material Design 2 pack), e.g. {@code "mdi2f-folder-open-outline"}. */
public final class Icons {

    private Icons() {
    }

    public static FontIcon of(String literal) {
        FontIcon icon = new FontIcon(literal);
        icon.getStyleClass().add("thaw-icon");
        return icon;
    }
}
