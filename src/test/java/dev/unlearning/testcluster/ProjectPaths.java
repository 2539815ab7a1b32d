package dev.unlearning.testcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Locations tests share: the repository root and the pinned control-plane version. */
public final class ProjectPaths {

    private ProjectPaths() {
    }

    public static Path root() {
        return Path.of(System.getProperty("project.root", ".")).toAbsolutePath().normalize();
    }

    public static Path crds() {
        return root().resolve("crds");
    }

    /** The Kubernetes release test-cluster/versions.env pins; the one place the version is written. */
    public static String kubernetesVersion() {
        Properties versions = new Properties();
        try (var in = Files.newBufferedReader(root().resolve("test-cluster/versions.env"))) {
            versions.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return versions.getProperty("K8S_VERSION");
    }

    /** The directory of the pinned release's binaries (kubectl, kubelet, kueue...) that build.sh put there. */
    public static Path testClusterBin() {
        return testClusterDir().resolve("k8s").resolve(kubernetesVersion() + "-linux-amd64");
    }

    /** Where test-cluster/build.sh put the binaries (kube-api-test's directory layout). */
    public static Path testClusterDir() {
        return Path.of(System.getProperty("test.cluster.dir",
                System.getProperty("user.home") + "/.cache/unlearning-operator/test-cluster"));
    }
}
