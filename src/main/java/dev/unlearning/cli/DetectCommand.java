package dev.unlearning.cli;

import dev.unlearning.api.worker.WorkerInvocation;
import dev.unlearning.api.OutlierSelector;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.api.worker.DetectionResult;
import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.outliers.OutlierSearch;
import dev.unlearning.store.Digests;
import dev.unlearning.store.IdDigestKey;
import dev.unlearning.store.ModelRepository;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A dry run of a {@code forget.outliers} request: finds the records the detector selects in the model's training
 * data and writes a report of their keyed digests to the model's store. It publishes, stages and deletes nothing.
 */
@Command(name = WorkerInvocation.DETECT, description = "Report which records a forget.outliers request would forget (dry run).")
public class DetectCommand implements Callable<Integer> {

    @Option(names = WorkerInvocation.MODEL, required = true)
    Path model;

    @Option(names = WorkerInvocation.REQUEST, required = true, description = "UnlearningRequest YAML/JSON with forget.outliers")
    Path request;

    @Option(names = "--store")
    String store;

    @Option(names = "--output")
    Path output;

    /**
     * The report's schema: what an auditor reads, so its fields only grow. {@code idKey} names the key the digests
     * were made with (its public id, not the key).
     */
    public record Report(String request, String requestUid, OutlierSelector selector, String dataDigest, int found,
            Map<String, Integer> perClass, String idKey, List<String> recordDigests) {
    }

    @Override
    public Integer call() {
        return RoleIo.run("detect", () -> {
            ShardedModel cr = RoleIo.readModel(model);
            UnlearningRequest req = RoleIo.readRequest(request);
            OutlierSelector selector = req.getSpec().getForget() == null ? null
                    : req.getSpec().getForget().getOutliers();
            if (selector == null) {
                throw new IllegalArgumentException("request " + req.getMetadata().getName()
                        + " has no forget.outliers");
            }
            IdDigestKey key = RoleIo.idKey();
            if (key == null) {
                throw new IllegalArgumentException("the report names records by keyed digest, and this pod has no "
                        + "id-digest key (Secret unlearning-id-key)");
            }
            ModelRepository repo = RoleIo.repository(cr, store);
            Dataset train = RoleIo.data(cr).train();
            OutlierSearch.Found found = OutlierSearch.find(selector, train);
            Map<String, Integer> perClass = new LinkedHashMap<>();
            new TreeMap<>(found.perClass()).forEach((label, n) -> perClass.put(Integer.toString(label), n));
            List<String> digests = Arrays.stream(found.rows()).mapToObj(r -> key.record(train.id(r)))
                    .sorted().toList();
            String uid = req.getMetadata().getUid() != null ? req.getMetadata().getUid() : req.getMetadata().getName();
            byte[] report = ModelRepository.JSON.writeValueAsBytes(new Report(req.getMetadata().getName(), uid,
                    selector, train.digest(), digests.size(), perClass, key.id(), digests));
            String location = repo.putDetection(uid, report);
            RoleIo.writeResult(output, new DetectionResult(digests.size(), perClass, location, Digests.sha256(report),
                    train.digest()));
            return ExitCode.OK;
        });
    }
}
