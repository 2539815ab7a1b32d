package dev.unlearning.engine.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;

/** Parameters of a block as bytes: what checkpoints and model versions store. */
public final class ModelState {

    private ModelState() {
    }

    public static byte[] save(Block block) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Loads parameters into an initialised block of the same architecture; a mismatch is a corrupt checkpoint. */
    public static void load(Block block, NDManager manager, byte[] state) throws CorruptModelException {
        // DJL replaces parameter arrays with whatever the bytes hold, whatever their shape; check it ourselves.
        var expected = new LinkedHashMap<String, Shape>();
        block.getParameters().forEach(p -> expected.put(p.getKey(), p.getValue().getShape()));
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            block.loadParameters(manager, in);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new CorruptModelException("checkpoint does not fit the model's architecture: " + e.getMessage(), e);
        }
        for (var p : block.getParameters()) {
            var want = expected.get(p.getKey());
            if (want != null && !want.equals(p.getValue().getShape())) {
                throw new CorruptModelException("checkpoint does not fit the model's architecture: parameter "
                        + p.getKey() + " has shape " + p.getValue().getShape() + ", the architecture needs " + want, null);
            }
        }
    }

    /** Raised for parameters that cannot belong to the block they are loaded into. */
    public static class CorruptModelException extends Exception {
        public CorruptModelException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
