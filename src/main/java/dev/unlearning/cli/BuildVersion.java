package dev.unlearning.cli;

import org.eclipse.microprofile.config.ConfigProvider;
import picocli.CommandLine;

/** Reports the version Quarkus stamped into the build. */
public class BuildVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = ConfigProvider.getConfig().getOptionalValue("quarkus.application.version", String.class)
                .orElse("unknown");
        return new String[] {"unlearning-operator " + version};
    }
}
