package dev.unlearning.serving;

/**
 * A request the client must fix, answered with its status (400, or 413 for a batch over the limit) and this
 * message. The messages are written for the client; internal failures never become one.
 */
final class ClientError extends RuntimeException {

    private final int status;

    ClientError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static ClientError badRequest(String message) {
        return new ClientError(400, message);
    }

    int status() {
        return status;
    }
}
