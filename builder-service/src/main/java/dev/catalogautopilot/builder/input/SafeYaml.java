package dev.catalogautopilot.builder.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Parses YAML and JSON documents within {@link InputLimits}: a bounded number of aliases (so alias bombs fail
 * fast), bounded size and nesting, no arbitrary types, and timestamps kept as the strings they were written as,
 * as Kubernetes tooling reads them. A YAML document's size is also counted as expanded, every alias (scalar
 * aliases included) as a copy of what it names, so a bomb that stays under the alias limit is refused too.
 */
public final class SafeYaml {

    private final InputLimits limits;
    private final ObjectMapper json;

    public SafeYaml(InputLimits limits) {
        this.limits = limits;
        JsonFactory factory = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxNestingDepth())
                .maxStringLength(limits.maxDocumentBytes())
                .maxDocumentLength(limits.maxDocumentBytes())
                .build()).build();
        this.json = new ObjectMapper(factory).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** Every YAML document in {@code content}, empty documents left out. */
    public List<JsonNode> yaml(byte[] content, String origin) {
        checkSize(content, origin);
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(limits.maxYamlAliases());
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(limits.maxNestingDepth());
        options.setCodePointLimit(limits.maxDocumentBytes());
        options.setAllowDuplicateKeys(true);
        DumperOptions dumper = new DumperOptions();
        Constructor constructor = new Constructor(options);
        Yaml yaml = new Yaml(constructor, new Representer(dumper), dumper, options, new StringTimestamps());
        List<JsonNode> documents = new ArrayList<>();
        try {
            for (Node node : yaml.composeAll(new StringReader(new String(content, StandardCharsets.UTF_8)))) {
                checkExpandedSize(node, origin);
                Object document = constructor.construct(node);
                if (document != null) {
                    documents.add(json.valueToTree(document));
                }
            }
        } catch (YAMLException | IllegalArgumentException | StackOverflowError e) {
            throw classify(e, origin);
        }
        return documents;
    }

    /** Every JSON value in {@code content} (opm allows several concatenated in one file). */
    public List<JsonNode> json(byte[] content, String origin) {
        checkSize(content, origin);
        try (JsonParser parser = json.getFactory().createParser(content)) {
            List<JsonNode> documents = new ArrayList<>();
            while (parser.nextToken() != null) {
                JsonNode value = json.readTree(parser);
                if (value != null && !value.isNull()) {
                    documents.add(value);
                }
            }
            return documents;
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(BadInputException.Kind.INVALID_YAML,
                    origin + " is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    /** YAML or JSON by file name ({@code .json} is JSON, anything else YAML). */
    public List<JsonNode> documents(byte[] content, String origin) {
        return origin.endsWith(".json") ? json(content, origin) : yaml(content, origin);
    }

    private void checkSize(byte[] content, String origin) {
        if (content.length > limits.maxDocumentBytes()) {
            throw new BadInputException(BadInputException.Kind.TOO_LARGE, origin + " is " + content.length
                    + " bytes, over the document limit of " + limits.maxDocumentBytes() + " bytes");
        }
    }

    /**
     * Refuses a document whose aliases expand it past the document limit. Shared nodes are sized once (an alias
     * is the same node as its anchor), so the count costs one pass over the composed nodes, not over the expansion.
     */
    private void checkExpandedSize(Node root, String origin) {
        long size = expandedSize(root, new IdentityHashMap<>(), origin);
        if (size > limits.maxDocumentBytes()) {
            throw new BadInputException(BadInputException.Kind.ALIAS_BOMB, origin + " expands through YAML aliases to "
                    + "more than " + limits.maxDocumentBytes() + " bytes, the document limit (an alias bomb?): refused");
        }
    }

    /** Characters of every scalar plus one per node, aliases counted in full; saturates just past the limit. */
    private long expandedSize(Node node, Map<Node, Long> sized, String origin) {
        Long known = sized.get(node);
        if (known != null) {
            if (known < 0) {
                throw new BadInputException(BadInputException.Kind.ALIAS_BOMB, origin
                        + " holds a YAML alias to a collection that contains it: refused");
            }
            return known;
        }
        long cap = limits.maxDocumentBytes() + 1L;
        sized.put(node, -1L);
        long size = 1;
        if (node instanceof ScalarNode scalar) {
            size += scalar.getValue().length();
        } else if (node instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                size = Math.min(cap, size + expandedSize(item, sized, origin));
            }
        } else if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                size = Math.min(cap, size + expandedSize(tuple.getKeyNode(), sized, origin)
                        + expandedSize(tuple.getValueNode(), sized, origin));
            }
        }
        size = Math.min(cap, size);
        sized.put(node, size);
        return size;
    }

    private BadInputException classify(Throwable e, String origin) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.contains("aliases") || message.contains("recursive")) {
            return new BadInputException(BadInputException.Kind.ALIAS_BOMB, origin + " uses more than "
                    + limits.maxYamlAliases() + " YAML aliases (an alias bomb?): refused");
        }
        if (message.contains("exceeds the limit") || message.contains("Nesting Depth")
                || e instanceof StackOverflowError) {
            return new BadInputException(BadInputException.Kind.TOO_LARGE, origin + " is too large or too deeply "
                    + "nested: " + firstLine(message));
        }
        String where = e instanceof MarkedYAMLException marked && marked.getProblemMark() != null
                ? " at line " + (marked.getProblemMark().getLine() + 1) + ", column "
                + (marked.getProblemMark().getColumn() + 1) : "";
        String problem = e instanceof MarkedYAMLException marked && marked.getProblem() != null
                ? marked.getProblem() : firstLine(message);
        return new BadInputException(BadInputException.Kind.INVALID_YAML,
                origin + " is not valid YAML" + where + ": " + problem);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** The safe constructor, building one composed document at a time. */
    private static final class Constructor extends SafeConstructor {
        Constructor(LoaderOptions options) {
            super(options);
        }

        Object construct(Node node) {
            return constructDocument(node);
        }
    }

    /** YAML 1.1 resolution without timestamps: {@code createdAt: 2020-01-01} stays a string. */
    private static final class StringTimestamps extends Resolver {
        @Override
        public void addImplicitResolver(Tag tag, Pattern regexp, String first, int limit) {
            if (!Tag.TIMESTAMP.equals(tag)) {
                super.addImplicitResolver(tag, regexp, first, limit);
            }
        }
    }
}
