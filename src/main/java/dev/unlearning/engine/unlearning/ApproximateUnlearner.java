package dev.unlearning.engine.unlearning;

import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.model.ModelState;
import dev.unlearning.engine.model.Network;
import java.util.Map;

/**
 * Approximate unlearning of one shard's model, each method as its authors run it: SCRUB (Kurmanji et al.,
 * with the SCRUB+R rewind), NegGrad+ (the same authors' baseline), fine-tuning on the retain data, selective
 * synaptic dampening (SSD, Foster et al.) and saliency unlearning (SalUn, Fan et al.). The shard's slice
 * checkpoints are left alone, so exact unlearning stays possible later.
 */
public final class ApproximateUnlearner {

    /** The unlearned parameters, the samples processed, and the SCRUB epoch kept (-1 when no rewind). */
    public record Result(byte[] state, long samples, int keptEpoch) {
    }

    /** Rows the methods read: the shard's forget and retain rows in the training data, and held-out rows. */
    public record Rows(Dataset train, int[] forget, int[] retain, Dataset holdoutData, int[] lookAlikes) {
    }

    private final Map<UnlearningMethod, ApproximateMethod> methods;

    public ApproximateUnlearner(ApproximateSettings settings, long seed) {
        this.methods = Map.of(UnlearningMethod.SCRUB, new Scrub(settings, seed),
                UnlearningMethod.NEG_GRAD_PLUS, new NegGradPlus(settings, seed),
                UnlearningMethod.FINE_TUNE, new FineTune(settings, seed),
                UnlearningMethod.SSD, new SelectiveSynapticDampening(settings, seed),
                UnlearningMethod.SALUN, new SalUn(settings, seed));
    }

    /**
     * @param modelState the shard's current parameters (SCRUB's teacher and every method's starting point)
     * @param rows {@code lookAlikes}: held-out rows drawn like the forget set, for the SCRUB+R rewind
     */
    public Result unlearn(UnlearningMethod method, Network student, byte[] modelState, Rows rows)
            throws ModelState.CorruptModelException {
        ApproximateMethod chosen = methods.get(method);
        if (chosen == null) {
            throw new IllegalArgumentException(method + " is not an approximate method");
        }
        return chosen.unlearn(student, modelState, rows);
    }
}
