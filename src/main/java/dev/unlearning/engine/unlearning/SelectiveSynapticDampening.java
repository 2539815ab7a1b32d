package dev.unlearning.engine.unlearning;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.model.Network;
import dev.unlearning.engine.training.Seeds;
import java.util.List;
import java.util.Random;

/** Selective synaptic dampening (SSD, Foster et al.): no training, only parameters specific to the forget set shrink. */
record SelectiveSynapticDampening(ApproximateSettings settings, long seed) implements ApproximateMethod {

    /**
     * SSD: no training. The diagonal of the Fisher information (mean squared batch gradient of the loss) is
     * measured on the shard's training data and on the forget set; parameters far more important to the forget
     * set than to the data as a whole are scaled down in proportion.
     */
    @Override
    public ApproximateUnlearner.Result unlearn(Network student, byte[] modelState, ApproximateUnlearner.Rows rows) {
        int[] shardRows = new int[rows.retain().length + rows.forget().length];
        System.arraycopy(rows.retain(), 0, shardRows, 0, rows.retain().length);
        System.arraycopy(rows.forget(), 0, shardRows, rows.retain().length, rows.forget().length);
        int[] all = settings.ssdDataSample() > 0
                ? GradientSteps.sample(shardRows, settings.ssdDataSample(), new Random(Seeds.mix(seed, 19, 0))) : shardRows;
        List<NDArray> parameters = student.parameters();
        try (NDManager scope = student.manager().newSubManager();
                Trainer trainer = student.sgdTrainer(new ScheduledRate(0), 0, 0)) {
            List<NDArray> dataImportance = importance(trainer, student, scope, rows.train(), all);
            List<NDArray> forgetImportance = importance(trainer, student, scope, rows.train(), rows.forget());
            for (int i = 0; i < parameters.size(); i++) {
                NDArray data = dataImportance.get(i);
                NDArray forget = forgetImportance.get(i);
                NDArray selected = forget.gt(data.mul(settings.ssdAlpha()));
                NDArray factor = data.mul(settings.ssdLambda()).div(forget).minimum(1f);
                parameters.get(i).muli(NDArrays.where(selected, factor, scope.ones(factor.getShape())));
            }
        }
        return new ApproximateUnlearner.Result(student.state(), all.length + (long) rows.forget().length, -1);
    }

    /** The mean over batches of each parameter's squared batch gradient: the diagonal Fisher information. */
    private List<NDArray> importance(Trainer trainer, Network network, NDManager keep, Dataset data, int[] rows) {
        List<NDArray> sums = GradientSteps.gradientSums(trainer, network, keep, data, rows, NDArray::square,
                settings.batchSize());
        int batches = (int) GradientSteps.batches(rows.length, settings.batchSize());
        for (NDArray sum : sums) {
            sum.divi(Math.max(1, batches));
        }
        return sums;
    }
}
