package dev.unlearning.cli;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.unlearning.engine.TorchRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * Which libtorch a worker loads and which devices it sees, as JSON: the check a platform team runs on a new
 * node or image ({@code kubectl run ... -- engine-info}), and how the image tests tell the CUDA image's libtorch
 * from the CPU one. The libraries are those the process really mapped, not what the environment asked for.
 */
@Command(name = "engine-info", description = "Print the PyTorch engine's version, libraries and devices as JSON.")
public class EngineInfoCommand implements Callable<Integer> {

    /** The report; {@code libraries} are the libtorch files mapped into this process. */
    public record EngineInfo(String engine, String version, int gpuCount, String defaultDevice, List<String> libraries) {
    }

    @Override
    public Integer call() throws IOException {
        Engine engine = TorchRuntime.engine();
        EngineInfo info = new EngineInfo(engine.getEngineName(), engine.getVersion(), engine.getGpuCount(),
                engine.defaultDevice().toString(), loadedLibtorch());
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(info));
        return 0;
    }

    private static List<String> loadedLibtorch() throws IOException {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.map(l -> l.substring(l.lastIndexOf(' ') + 1))
                    .filter(p -> p.contains("/libtorch") || p.contains("/libc10")).distinct().sorted().toList();
        }
    }
}
