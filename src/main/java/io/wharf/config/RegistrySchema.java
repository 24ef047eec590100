package io.wharf.config;

import io.wharf.config.Schema.Anything;
import io.wharf.config.Schema.Kind;
import io.wharf.config.Schema.Leaf;
import io.wharf.config.Schema.ListOf;
import io.wharf.config.Schema.Section;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every key of Distribution's configuration file, version 0.1, as documented on its "configuration" page and
 * defined in its {@code configuration.go}, including the sections Wharf parses but does not act on yet. The tree
 * is immutable.
 */
final class RegistrySchema {

    private static final Leaf STRING = new Leaf(Kind.STRING);
    private static final Leaf BOOLEAN = new Leaf(Kind.BOOLEAN);
    private static final Leaf INTEGER = new Leaf(Kind.INTEGER);
    private static final Leaf LONG = new Leaf(Kind.LONG);
    private static final Leaf DURATION = new Leaf(Kind.DURATION);
    private static final Leaf STRINGS = new Leaf(Kind.STRING_LIST);
    private static final Anything ANYTHING = new Anything();
    private static final Section HEADERS = mapOf(STRINGS);

    /** The keys that sit beside the driver in {@code storage} rather than naming one. */
    static final Set<String> STORAGE_SETTINGS = Set.of("delete", "redirect", "cache",
            "maintenance", "tag");

    /** The whole file. */
    static final Section ROOT = section(
            key("version", STRING),
            key("log", log()),
            key("loglevel", STRING),
            key("storage", storage()),
            key("auth", auth()),
            key("access", access()),
            key("tokenserver", section(key("htpasswd", STRING), key("key", STRING), key("issuer", STRING),
                    key("service", STRING), key("expiration", DURATION), key("refreshexpiration", DURATION))),
            key("middleware", mapOf(new ListOf(section(
                    key("name", STRING), key("disabled", BOOLEAN), key("options", ANYTHING))))),
            key("reporting", reporting()),
            key("http", http()),
            key("notifications", notifications()),
            key("redis", redis()),
            key("health", health()),
            key("catalog", section(key("maxentries", INTEGER))),
            key("proxy", proxy()),
            key("compatibility", section(key("schema1", aliased(section(
                    key("signingkeyfile", STRING), key("enabled", BOOLEAN)), "TRUSTKEY", "signingkeyfile")))),
            key("validation", validation()),
            key("policy", section(key("repository", section(key("classes", STRINGS))))),
            // Wharf only; Distribution ignores unknown top-level keys.
            key("gc", section(key("enabled", BOOLEAN), key("interval", DURATION), key("graceperiod", DURATION),
                    key("deleteuntagged", BOOLEAN), key("dryrun", BOOLEAN))),
            key("retention", new ListOf(section(key("repositories", STRING), key("keeplast", INTEGER),
                    key("keepwithin", DURATION), key("protect", STRINGS)))),
            key("immutabletags", STRINGS),
            key("sync", section(key("statedirectory", STRING), key("jobs", new ListOf(section(
                    key("name", STRING), key("direction", STRING), key("remoteurl", STRING),
                    key("username", STRING), key("password", STRING), key("skipverify", BOOLEAN),
                    key("repositories", STRINGS), key("tags", STRINGS), key("prefix", STRING),
                    key("interval", DURATION), key("referrers", BOOLEAN)))))),
            key("admin", section(key("enabled", BOOLEAN), key("allowremote", BOOLEAN))),
            key("ui", section(key("enabled", BOOLEAN), key("sessionttl", DURATION))));

    private RegistrySchema() {
    }

    private static Section log() {
        Section mail = aliased(section(
                key("disabled", BOOLEAN), key("type", STRING), key("levels", STRINGS),
                key("options", section(
                        key("smtp", section(key("addr", STRING), key("username", STRING),
                                key("password", STRING), key("insecure", BOOLEAN))),
                        key("from", STRING), key("to", STRINGS)))), "MAILOPTIONS", "options");
        return section(
                key("accesslog", section(key("disabled", BOOLEAN))),
                key("level", STRING),
                key("formatter", STRING),
                key("fields", mapOf(new Leaf(Kind.SCALAR))),
                key("hooks", new ListOf(mail)),
                key("reportcaller", BOOLEAN));
    }

    private static Section auth() {
        var fields = new LinkedHashMap<String, Schema>();
        fields.put("htpasswd", section(key("realm", STRING), key("path", STRING)));
        fields.put("token", section(key("realm", STRING), key("service", STRING), key("issuer", STRING),
                key("rootcertbundle", STRING), key("jwks", STRING), key("signingalgorithms", STRINGS),
                key("autoredirect", BOOLEAN), key("autoredirectpath", STRING)));
        fields.put("silly", section(key("realm", STRING), key("service", STRING)));
        return new Section(fields, ANYTHING, true, Map.of());
    }

    /** Wharf's per-repository permissions. */
    private static Section access() {
        return section(
                key("groups", mapOf(STRINGS)),
                key("admingroup", STRING),
                key("anonymous", section(key("pull", STRINGS))),
                key("rules", new ListOf(section(key("repositories", STRINGS), key("pull", STRINGS),
                        key("push", STRINGS), key("delete", STRINGS)))),
                key("failedlogins", section(key("free", INTEGER), key("delay", DURATION),
                        key("maxdelay", DURATION))));
    }

    private static Section storage() {
        var fields = new LinkedHashMap<String, Schema>();
        fields.put("filesystem", section(key("rootdirectory", STRING), key("maxthreads", INTEGER)));
        fields.put("inmemory", section());
        fields.put("s3", s3());
        fields.put("delete", section(key("enabled", BOOLEAN)));
        fields.put("redirect", section(key("disable", BOOLEAN)));
        fields.put("cache", section(key("blobdescriptor", STRING), key("blobdescriptorsize", INTEGER),
                key("layerinfo", STRING)));
        fields.put("maintenance", section(
                key("uploadpurging", section(key("enabled", BOOLEAN), key("age", DURATION),
                        key("interval", DURATION), key("dryrun", BOOLEAN))),
                key("readonly", section(key("enabled", BOOLEAN)))));
        fields.put("tag", section(key("concurrencylimit", INTEGER)));
        // Other drivers (azure, gcs, ...) take parameters Wharf does not interpret.
        return new Section(fields, ANYTHING, true, Map.of());
    }

    /** Distribution's {@code storage.s3} keys, including those Wharf does not act on (they are warned about). */
    private static Section s3() {
        return section(key("accesskey", STRING), key("secretkey", STRING), key("region", STRING),
                key("regionendpoint", STRING), key("forcepathstyle", BOOLEAN), key("bucket", STRING),
                key("rootdirectory", STRING), key("secure", BOOLEAN), key("skipverify", BOOLEAN),
                key("v4auth", BOOLEAN), key("chunksize", LONG), key("multipartcopychunksize", LONG),
                key("multipartcopymaxconcurrency", LONG), key("multipartcopythresholdsize", LONG),
                key("encrypt", BOOLEAN), key("keyid", STRING), key("storageclass", STRING),
                key("useragent", STRING), key("objectacl", STRING), key("sessiontoken", STRING),
                key("usedualstack", BOOLEAN), key("accelerate", BOOLEAN), key("usefipsendpoint", BOOLEAN),
                key("redirectendpoint", STRING), key("loglevel", new Leaf(Kind.SCALAR)));
    }

    private static Section http() {
        return section(
                key("addr", STRING), key("net", STRING), key("host", STRING), key("prefix", STRING),
                key("secret", STRING), key("relativeurls", BOOLEAN), key("draintimeout", DURATION),
                key("tls", section(
                        key("certificate", STRING), key("key", STRING), key("clientcas", STRINGS),
                        key("clientauth", STRING), key("minimumtls", STRING), key("ciphersuites", STRINGS),
                        key("letsencrypt", section(key("cachefile", STRING), key("email", STRING),
                                key("hosts", STRINGS), key("directoryurl", STRING))))),
                key("headers", HEADERS),
                key("timeouts", section(key("header", DURATION), key("idle", DURATION), key("minrate", INTEGER),
                        key("ratewindow", DURATION))),
                key("trustedproxies", STRINGS),
                key("debug", section(key("addr", STRING),
                        key("prometheus", section(key("enabled", BOOLEAN), key("path", STRING))))),
                key("http2", section(key("disabled", BOOLEAN))),
                key("h2c", section(key("enabled", BOOLEAN))),
                key("cors", section(key("allowedorigins", STRINGS), key("allowedheaders", STRINGS),
                        key("maxage", DURATION), key("allowcredentials", BOOLEAN))));
    }

    private static Section notifications() {
        Section endpoint = section(
                key("name", STRING), key("disabled", BOOLEAN), key("url", STRING), key("headers", HEADERS),
                key("timeout", DURATION), key("threshold", INTEGER), key("backoff", DURATION),
                key("ignoredmediatypes", STRINGS),
                key("ignore", section(key("mediatypes", STRINGS), key("actions", STRINGS))));
        return aliased(section(
                key("events", section(key("includereferences", BOOLEAN))),
                key("endpoints", new ListOf(endpoint)),
                key("queue", section(key("directory", STRING), key("maxevents", INTEGER)))), "EVENTCONFIG", "events");
    }

    private static Section redis() {
        // Distribution inlines go-redis' UniversalOptions, which has more keys than are worth listing here.
        var fields = new LinkedHashMap<String, Schema>();
        fields.put("addr", STRING);
        fields.put("addrs", STRINGS);
        fields.put("username", STRING);
        fields.put("password", STRING);
        fields.put("db", INTEGER);
        fields.put("dialtimeout", DURATION);
        fields.put("readtimeout", DURATION);
        fields.put("writetimeout", DURATION);
        fields.put("tls", section(key("enabled", BOOLEAN), key("certificate", STRING), key("key", STRING),
                key("clientcas", STRINGS)));
        fields.put("pool", section(key("maxidle", INTEGER), key("maxactive", INTEGER),
                key("idletimeout", DURATION)));
        return new Section(fields, ANYTHING, false, Map.of());
    }

    private static Section health() {
        return aliased(aliased(aliased(section(
                key("storagedriver", section(key("enabled", BOOLEAN), key("interval", DURATION),
                        key("threshold", INTEGER))),
                key("file", new ListOf(section(key("file", STRING), key("interval", DURATION),
                        key("threshold", INTEGER)))),
                key("http", new ListOf(section(key("uri", STRING), key("headers", HEADERS),
                        key("statuscode", INTEGER), key("timeout", DURATION), key("interval", DURATION),
                        key("threshold", INTEGER)))),
                key("tcp", new ListOf(section(key("addr", STRING), key("timeout", DURATION),
                        key("interval", DURATION), key("threshold", INTEGER))))),
                "FILECHECKERS", "file"), "HTTPCHECKERS", "http"), "TCPCHECKERS", "tcp");
    }

    private static Section proxy() {
        return section(
                key("remoteurl", STRING), key("username", STRING), key("password", STRING),
                key("ttl", DURATION), key("remotenamespace", STRING),
                key("exec", section(key("command", STRING), key("lifetime", DURATION))),
                key("tagttl", DURATION), key("spooldirectory", STRING), key("timeout", DURATION),
                key("maxbytes", STRING),
                key("upstreams", new ListOf(section(key("prefix", STRING), key("remoteurl", STRING),
                        key("username", STRING), key("password", STRING), key("ttl", DURATION),
                        key("tagttl", DURATION), key("namespace", STRING), key("maxbytes", STRING)))));
    }

    private static Section reporting() {
        return section(
                key("bugsnag", section(key("apikey", STRING), key("releasestage", STRING), key("endpoint", STRING))),
                key("newrelic", section(key("licensekey", STRING), key("name", STRING), key("verbose", BOOLEAN))));
    }

    private static Section validation() {
        return section(
                key("enabled", BOOLEAN),
                key("disabled", BOOLEAN),
                key("manifests", section(
                        key("urls", section(key("allow", STRINGS), key("deny", STRINGS))),
                        key("indexes", section(key("platforms", STRING), key("platformlist",
                                new ListOf(section(key("architecture", STRING), key("os", STRING)))))))));
    }

    @SafeVarargs
    private static Section section(Map.Entry<String, Schema>... fields) {
        var map = new LinkedHashMap<String, Schema>();
        for (var field : fields) {
            map.put(field.getKey(), field.getValue());
        }
        return new Section(map, null, false, Map.of());
    }

    private static Section mapOf(Schema values) {
        return new Section(Map.of(), values, false, Map.of());
    }

    private static Section aliased(Section section, String envAlias, String key) {
        var aliases = new LinkedHashMap<>(section.envAliases());
        aliases.put(envAlias, key);
        return new Section(section.fields(), section.others(), section.choice(), aliases);
    }

    private static Map.Entry<String, Schema> key(String name, Schema schema) {
        return Map.entry(name, schema);
    }
}
