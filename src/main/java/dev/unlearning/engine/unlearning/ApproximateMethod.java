package dev.unlearning.engine.unlearning;

import dev.unlearning.engine.model.ModelState;
import dev.unlearning.engine.model.Network;

/** One approximate unlearning method: new parameters for a shard's network, from the rows it may read. */
interface ApproximateMethod {

    /**
     * @param student    the shard's network, holding {@code modelState}; the method changes it in place
     * @param modelState the shard's current parameters (SCRUB's teacher)
     */
    ApproximateUnlearner.Result unlearn(Network student, byte[] modelState, ApproximateUnlearner.Rows rows)
            throws ModelState.CorruptModelException;
}
