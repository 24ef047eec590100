package io.wharf.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.wharf.config.YamlNode.Mapping;
import io.wharf.config.YamlNode.Scalar;
import io.wharf.config.YamlNode.ScalarKind;
import io.wharf.config.YamlNode.Sequence;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads one YAML document into a {@link YamlNode} tree. Jackson's streaming parser is used rather than its
 * tree model because the tree model loses the scalar text ({@code 0.10} would become {@code 0.1}) and the line
 * numbers that messages point at.
 */
final class YamlTreeReader {

    private static final Pattern LOCATION = Pattern.compile("line (\\d+), column (\\d+)");

    private final JsonParser parser;
    private final String source;
    private final boolean withLines;
    private final Diagnostics diagnostics;

    private YamlTreeReader(JsonParser parser, String source, boolean withLines, Diagnostics diagnostics) {
        this.parser = parser;
        this.source = source;
        this.withLines = withLines;
        this.diagnostics = diagnostics;
    }

    /**
     * Reads {@code text}.
     *
     * @param source names the text in messages, e.g. {@code config.yml} or {@code environment variable REGISTRY_X}
     * @param withLines whether origins carry line numbers (useful for files, noise for one-line values)
     * @return the document's value (a null scalar for an empty document), or empty when the text is not valid
     *     YAML, in which case an error has been reported
     */
    static Optional<YamlNode> read(String text, String source, boolean withLines, Diagnostics diagnostics) {
        try (JsonParser parser = new StyleAwareFactory().createParser(new java.io.StringReader(text))) {
            var reader = new YamlTreeReader(parser, source, withLines, diagnostics);
            JsonToken first = parser.nextToken();
            return Optional.of(first == null ? Scalar.nothing(source) : reader.value(first, ""));
        } catch (IOException | RuntimeException e) {
            diagnostics.error(source + ": not valid YAML" + describeProblem(e.getMessage()));
            return Optional.empty();
        }
    }

    private YamlNode value(JsonToken token, String path) throws IOException {
        String origin = origin();
        return switch (token) {
            case START_OBJECT -> mapping(origin, path);
            case START_ARRAY -> sequence(origin, path);
            case VALUE_STRING -> string(origin);
            case VALUE_NUMBER_INT -> new Scalar(parser.getText(), ScalarKind.INTEGER, origin);
            case VALUE_NUMBER_FLOAT -> new Scalar(parser.getText(), ScalarKind.FLOAT, origin);
            case VALUE_TRUE, VALUE_FALSE -> new Scalar(parser.getText(), ScalarKind.BOOLEAN, origin);
            case VALUE_NULL -> Scalar.nothing(origin);
            default -> throw new IOException("unexpected " + token + " at " + origin);
        };
    }

    private Scalar string(String origin) throws IOException {
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            // Jackson reports an alias as a string holding the anchor's name, which would be silently wrong.
            throw new IOException("YAML aliases (*" + parser.getText() + ") are not supported, at " + origin);
        }
        boolean quoted = parser instanceof StyleAwareParser styled && !styled.plain;
        return new Scalar(parser.getText(), ScalarKind.STRING, origin, quoted);
    }

    /** Jackson's YAML parser, remembering whether the scalar it is on was written plain (without quotes). */
    private static final class StyleAwareParser extends YAMLParser {
        private boolean plain = true;

        StyleAwareParser(com.fasterxml.jackson.core.io.IOContext context, int features, int yamlFeatures,
                org.yaml.snakeyaml.LoaderOptions options, com.fasterxml.jackson.core.ObjectCodec codec,
                java.io.Reader reader) {
            super(context, features, yamlFeatures, options, codec, reader);
        }

        @Override
        protected JsonToken _decodeScalar(org.yaml.snakeyaml.events.ScalarEvent scalar) throws IOException {
            plain = scalar.isPlain();
            return super._decodeScalar(scalar);
        }
    }

    /** Makes {@link StyleAwareParser}s. */
    private static final class StyleAwareFactory extends YAMLFactory {
        @Override
        protected YAMLParser _createParser(java.io.Reader reader, com.fasterxml.jackson.core.io.IOContext context) {
            return new StyleAwareParser(context, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec,
                    reader);
        }
    }

    private Mapping mapping(String origin, String path) throws IOException {
        var entries = new LinkedHashMap<String, YamlNode>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            String keyOrigin = origin();
            String childPath = path.isEmpty() ? key : path + "." + key;
            YamlNode child = value(parser.nextToken(), childPath);
            if (entries.put(key, child) != null) {
                diagnostics.warn(childPath + ": key written twice; the last value is used (" + keyOrigin + ")");
            }
        }
        return new Mapping(entries, origin);
    }

    private Sequence sequence(String origin, String path) throws IOException {
        List<YamlNode> items = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            items.add(value(token, path + "[" + items.size() + "]"));
        }
        return new Sequence(items, origin);
    }

    private String origin() {
        return withLines ? source + " line " + parser.currentTokenLocation().getLineNr() : source;
    }

    /**
     * SnakeYAML's message spread over several lines with a code excerpt, reduced to one line: its location, then
     * its unindented lines, which say what is wrong.
     */
    static String describeProblem(String message) {
        if (message == null) {
            return "";
        }
        Matcher location = LOCATION.matcher(message);
        String where = location.find() ? " at line " + location.group(1) + ", column " + location.group(2) : "";
        String what = message.lines().filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
                .collect(Collectors.joining(": "));
        return where + ": " + what;
    }
}
