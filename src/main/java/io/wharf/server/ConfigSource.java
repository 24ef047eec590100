package io.wharf.server;

import io.wharf.config.ConfigLoader;
import io.wharf.config.ConfigResult;
import java.nio.file.Path;
import java.util.Map;

/** Which configuration file a command uses: the argument, else {@code REGISTRY_CONFIGURATION_PATH}, else none. */
final class ConfigSource {
    private ConfigSource() {
    }

    static Path choose(Path argument, Map<String, String> env) {
        if (argument != null) {
            return argument;
        }
        String fromEnv = env.get("REGISTRY_CONFIGURATION_PATH");
        return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv);
    }

    static ConfigResult load(Path argument, Map<String, String> env) {
        return ConfigLoader.loadFile(choose(argument, env), env);
    }
}
