package dev.unlearning.serving;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes a connection that has not delivered a complete request head within the idle timeout of opening or of
 * its last response. Counting from those moments rather than from the last byte is what cuts off a client
 * trickling a header a byte at a time (slowloris), which a plain idle timeout never would. A request in
 * progress is the request timeout's business.
 */
final class IdleConnections {

    private final Vertx vertx;
    private final long timeoutMs;
    private final Map<HttpConnection, Idle> connections = new ConcurrentHashMap<>();

    /** Per connection, touched only on its event loop. */
    private static final class Idle {
        int requestsInProgress;
        long timer = -1;
    }

    IdleConnections(Vertx vertx, long timeoutMs) {
        this.vertx = vertx;
        this.timeoutMs = timeoutMs;
    }

    void opened(HttpConnection connection) {
        Idle idle = new Idle();
        connections.put(connection, idle);
        connection.closeHandler(v -> {
            Idle gone = connections.remove(connection);
            if (gone != null) {
                vertx.cancelTimer(gone.timer);
            }
        });
        arm(connection, idle);
    }

    void requestStarted(HttpConnection connection) {
        Idle idle = connections.get(connection);
        if (idle != null) {
            idle.requestsInProgress++;
            vertx.cancelTimer(idle.timer);
            idle.timer = -1;
        }
    }

    void requestEnded(HttpConnection connection) {
        Idle idle = connections.get(connection);
        if (idle != null && --idle.requestsInProgress == 0) {
            arm(connection, idle);
        }
    }

    private void arm(HttpConnection connection, Idle idle) {
        idle.timer = vertx.setTimer(timeoutMs, t -> {
            if (connections.get(connection) == idle && idle.requestsInProgress == 0) {
                connection.close();
            }
        });
    }
}
