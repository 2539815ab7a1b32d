package dev.unlearning.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.unlearning.testcluster.ProjectPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Runs the Argo CD health checks (Lua, in Argo CD's resource_customizations layout) against every case of
 * their health_test.yaml, the way Argo CD's own test harness does: obj is the resource, the script returns
 * {status, message}.
 */
class ArgoHealthChecksTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Path ROOT = ProjectPaths.root().resolve("gitops/argocd/resource_customizations/unlearning.dev");

    static List<Arguments> cases() throws Exception {
        List<Arguments> cases = new ArrayList<>();
        for (String kind : List.of("ShardedModel", "UnlearningRequest")) {
            for (JsonNode test : YAML.readTree(ROOT.resolve(kind).resolve("health_test.yaml").toFile()).get("tests")) {
                cases.add(Arguments.of(kind, test.get("inputPath").asText(), test.get("healthStatus").get("status").asText(),
                        test.get("healthStatus").get("message").asText()));
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} {1} is {2}")
    @MethodSource("cases")
    void healthMatchesTheExpectedStatus(String kind, String input, String status, String message) throws Exception {
        Globals lua = JsePlatform.standardGlobals();
        lua.set("obj", toLua(YAML.readTree(ROOT.resolve(kind).resolve(input).toFile())));
        LuaValue result = lua.load(Files.readString(ROOT.resolve(kind).resolve("health.lua")), "health.lua").call();

        assertThat(result.get("status").tojstring()).isEqualTo(status);
        assertThat(result.get("message").tojstring()).isEqualTo(message);
    }

    /** YAML to Lua values as Argo CD passes them: objects become tables, arrays 1-based tables. */
    static LuaValue toLua(JsonNode node) {
        if (node == null || node.isNull()) {
            return LuaValue.NIL;
        }
        if (node.isObject()) {
            LuaTable table = new LuaTable();
            node.fields().forEachRemaining(e -> table.set(e.getKey(), toLua(e.getValue())));
            return table;
        }
        if (node.isArray()) {
            LuaTable table = new LuaTable();
            for (int i = 0; i < node.size(); i++) {
                table.set(i + 1, toLua(node.get(i)));
            }
            return table;
        }
        if (node.isNumber()) {
            return LuaValue.valueOf(node.asDouble());
        }
        if (node.isBoolean()) {
            return LuaValue.valueOf(node.asBoolean());
        }
        return LuaValue.valueOf(node.asText());
    }
}
