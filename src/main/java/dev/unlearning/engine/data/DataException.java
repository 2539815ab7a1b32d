package dev.unlearning.engine.data;

import java.io.IOException;

/** Input data that is missing, malformed or inconsistent; the message says which file and what is wrong. */
public class DataException extends IOException {
    public DataException(String message) {
        super(message);
    }
}
