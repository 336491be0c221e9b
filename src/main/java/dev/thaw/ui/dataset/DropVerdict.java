package dev.thaw.ui.dataset;

import java.nio.file.Path;

/**
 * What the panel would do with the items dragged over it: open {@code folder}, or refuse and say why.
 *
 * @param folder the folder a drop opens, or null when the drop is refused
 * @param message what the drop hint says ("Drop to open 'flowers'", or why it is refused)
 */
public record DropVerdict(Path folder, String message) {

    public boolean accepted() {
        return folder != null;
    }
}
