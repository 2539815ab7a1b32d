package dev.unlearning.testcluster;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A documented {@code helm install} line, run through the Helm library (the same Go code as the helm binary,
 * which this machine does not have): release, chart, namespace, {@code --create-namespace} and {@code --set}
 * values as written. A flag it does not know fails the test, so the documentation cannot use one unchecked.
 */
public record HelmInstallLine(String release, Path chart, String namespace, boolean createNamespace,
        Map<String, String> values) {

    public static HelmInstallLine parse(List<String> words, Path workingDirectory) {
        if (words.size() < 4 || !words.get(0).equals("helm") || !words.get(1).equals("install")) {
            throw new IllegalArgumentException("not a helm install line: " + words);
        }
        List<String> positional = new ArrayList<>();
        String namespace = "default";
        boolean create = false;
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 2; i < words.size(); i++) {
            String word = words.get(i);
            switch (word) {
                case "-n", "--namespace" -> namespace = words.get(++i);
                case "--create-namespace" -> create = true;
                case "--set" -> {
                    String assignment = words.get(++i);
                    int eq = assignment.indexOf('=');
                    values.put(assignment.substring(0, eq), assignment.substring(eq + 1));
                }
                default -> {
                    if (word.startsWith("-")) {
                        throw new IllegalArgumentException("helm flag " + word + " is not translated by this test");
                    }
                    positional.add(word);
                }
            }
        }
        if (positional.size() != 2) {
            throw new IllegalArgumentException("expected helm install RELEASE CHART, got " + positional);
        }
        return new HelmInstallLine(positional.get(0), workingDirectory.resolve(positional.get(1)), namespace, create,
                Map.copyOf(values));
    }

    /** Installs the release into the cluster of {@code kubeconfig}, as {@code helm install} would. */
    public void install(Path kubeconfig) {
        InstallCommand install = new Helm(chart).install().withName(release).withNamespace(namespace)
                .withKubeConfig(kubeconfig);
        if (createNamespace) {
            install = install.createNamespace();
        }
        for (var value : values.entrySet()) {
            String v = value.getValue();
            if (v.startsWith("{") && v.endsWith("}")) {
                // helm's --set reads {a,b} as a list; the library passes values as strings, so the list is given
                // element by element, which --set also accepts and means the same.
                String[] items = v.substring(1, v.length() - 1).split(",");
                for (int i = 0; i < items.length; i++) {
                    install = install.set(value.getKey() + "[" + i + "]", items[i]);
                }
            } else {
                install = install.set(value.getKey(), v);
            }
        }
        install.call();
    }
}
