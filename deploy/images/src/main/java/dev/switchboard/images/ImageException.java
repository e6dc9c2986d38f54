package dev.switchboard.images;

/** An image cannot be built; the message says why and, where it can, what to do. */
public final class ImageException extends RuntimeException {
    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
