package dev.thaw.cli;

/** A failure the user can fix from the message alone (bad path, bad value); printed without a stack trace. */
public class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
