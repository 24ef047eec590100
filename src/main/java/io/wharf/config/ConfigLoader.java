package io.wharf.config;

import io.wharf.config.YamlNode.Mapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Loads Distribution's {@code config.yml} (version 0.1) and applies {@code REGISTRY_*} environment overrides,
 * reporting every problem at once. The environment is always passed in; nothing here reads the process's.
 */
public final class ConfigLoader {

    /**
     * What {@link RegistryConfig#defaults()} holds, written as a file, so that overrides apply to it alike.
     * Deletes are on without a file (a fresh registry that cannot delete surprises people); a file that
     * does not mention them keeps Distribution's default, off.
     */
    private static final String DEFAULTS_DOCUMENT = """
            storage:
              filesystem:
                rootdirectory: data
              delete:
                enabled: true
              cache:
                blobdescriptor: inmemory
            http:
              addr: :5000
              headers:
                X-Content-Type-Options: [nosniff]
            """;
    private static final String SUPPORTED_VERSION = "0.1";

    private ConfigLoader() {
    }

    /**
     * Loads a configuration from YAML text.
     *
     * @param yamlOrNull the file's text, or null when there is no file: then the result is
     *     {@link RegistryConfig#defaults()} with the overrides applied
     * @param sourceName names the text in messages, usually the file's name
     * @param env the environment; entries starting with {@code REGISTRY_} override keys, except
     *     {@code REGISTRY_CONFIGURATION_PATH}, which is ignored
     * @return the configuration and every warning and error; never throws for bad input
     */
    public static ConfigResult load(String yamlOrNull, String sourceName, Map<String, String> env) {
        var diagnostics = new Diagnostics();
        Optional<Mapping> file = yamlOrNull == null
                ? document(DEFAULTS_DOCUMENT, "built-in defaults", diagnostics)
                : document(yamlOrNull, sourceName, diagnostics);
        if (file.isEmpty()) {
            return ConfigResult.failed(diagnostics);
        }
        if (yamlOrNull != null) {
            checkVersion(file.get(), sourceName, diagnostics);
        }
        Mapping tree = ChoiceSections.expandBareNames(file.get(), RegistrySchema.ROOT);
        tree = EnvOverlay.apply(tree, env, RegistrySchema.ROOT, diagnostics);
        tree = ChoiceSections.expandBareNames(tree, RegistrySchema.ROOT);
        SchemaValidator.check(tree, RegistrySchema.ROOT, diagnostics);
        return ConfigResult.of(bind(new ConfigTree(tree), diagnostics), diagnostics);
    }

    /**
     * Reads {@code fileOrNull} as UTF-8 and {@linkplain #load loads} it.
     *
     * @param fileOrNull the configuration file, or null for none
     * @return as {@link #load}; a missing or unreadable file is an error in the result, never an exception
     */
    public static ConfigResult loadFile(Path fileOrNull, Map<String, String> env) {
        if (fileOrNull == null) {
            return load(null, "built-in defaults", env);
        }
        try {
            return load(Files.readString(fileOrNull), fileOrNull.toString(), env);
        } catch (NoSuchFileException e) {
            return unreadable(fileOrNull, "the file does not exist");
        } catch (IOException | SecurityException e) {
            return unreadable(fileOrNull, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static Optional<Mapping> document(String yaml, String source, Diagnostics diagnostics) {
        Optional<YamlNode> document = YamlTreeReader.read(yaml, source, true, diagnostics);
        if (document.isEmpty()) {
            return Optional.empty();
        }
        if (document.get() instanceof Mapping mapping) {
            return Optional.of(mapping);
        }
        if (document.get() instanceof YamlNode.Scalar scalar && scalar.isNull()) {
            return Optional.of(Mapping.empty(source));
        }
        diagnostics.error(source + ": expected a mapping of keys to values at the top, got "
                + document.get().describe());
        return Optional.empty();
    }

    /** Distribution refuses a file without {@code version: 0.1} before looking at anything else. */
    private static void checkVersion(Mapping file, String source, Diagnostics diagnostics) {
        Optional<YamlNode> version = file.get("version");
        Optional<String> text = version.flatMap(Scalars::text);
        if (text.isEmpty()) {
            diagnostics.error(source + ": version is required; add \"version: 0.1\" at the top");
        } else if (!text.get().equals(SUPPORTED_VERSION)) {
            diagnostics.error("version", "unsupported version \"" + text.get() + "\"; only 0.1 exists",
                    version.get());
        }
    }

    private static RegistryConfig bind(ConfigTree tree, Diagnostics diagnostics) {
        RegistryConfig config = new RegistryConfig(LogBinding.bind(tree, diagnostics),
                StorageBinding.bind(tree, diagnostics), HttpBinding.bind(tree, diagnostics),
                ValidationBinding.bindCatalog(tree, diagnostics), ValidationBinding.bindValidation(tree, diagnostics),
                AuthBinding.bind(tree, diagnostics), LifecycleBinding.bind(tree, diagnostics),
                RedisBinding.bind(tree, diagnostics), OperationsBinding.bind(tree, diagnostics), ProxyBinding.bind(tree, diagnostics),
                NotificationsBinding.bind(tree, diagnostics), SyncBinding.bind(tree, diagnostics));
        InactiveFeatures.report(tree, diagnostics);
        return config;
    }

    private static ConfigResult unreadable(Path file, String reason) {
        var diagnostics = new Diagnostics();
        diagnostics.error(file + ": cannot read the configuration file: " + reason);
        return ConfigResult.failed(diagnostics);
    }
}
