package io.qemucompose.convert.kubevirt;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * KubeVirt's OpenAPI (Swagger 2.0) document as a strict JSON schema per kind, {@code $ref}s resolved
 * inside the document. The document allows any field it does not list (no
 * {@code additionalProperties}); Kubernetes' API server drops or refuses such fields, so every object
 * schema with {@code properties} is closed here, and a typo fails the test. Kinds the document
 * does not hold (core Secret and Service, Multus' NetworkAttachmentDefinition) get small schemas of
 * their own in {@code extra-definitions.json}, built on the document's ObjectMeta.
 */
final class KubevirtSchema {

    /** Each kind we write and the definition that describes it. */
    static final Map<String, String> DEFINITIONS = Map.of(
            "VirtualMachine", "v1.VirtualMachine",
            // a standalone DataVolume has the template's shape (apiVersion, kind, metadata, DataVolumeSpec)
            "DataVolume", "v1.DataVolumeTemplateSpec",
            "Secret", "qemucompose.Secret",
            "Service", "qemucompose.Service",
            "NetworkAttachmentDefinition", "qemucompose.NetworkAttachmentDefinition");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final ObjectNode document;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);

    private KubevirtSchema(ObjectNode document) {
        this.document = document;
    }

    static KubevirtSchema load() {
        ObjectNode swagger = (ObjectNode) read("kubevirt-swagger.json");
        ObjectNode definitions = (ObjectNode) swagger.get("definitions");
        ((ObjectNode) read("extra-definitions.json")).properties().forEach(e -> definitions.set(e.getKey(), e.getValue()));
        // IntOrString is "type: string, format: int-or-string" in the document; it holds a number or a string
        ObjectNode intOrString = (ObjectNode) definitions.get("k8s.io.apimachinery.pkg.util.intstr.IntOrString");
        ArrayNode types = intOrString.putArray("type");
        types.add("string").add("integer");
        close(definitions);
        ObjectNode document = JSON.createObjectNode();
        document.set("definitions", definitions);
        return new KubevirtSchema(document);
    }

    /** Sets {@code additionalProperties: false} on every object schema that lists its properties. */
    private static void close(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties") && object.get("properties").isObject() && !object.has("additionalProperties")) {
                object.put("additionalProperties", false);
            }
            object.properties().forEach(e -> close(e.getValue()));
        } else if (node instanceof ArrayNode array) {
            array.forEach(KubevirtSchema::close);
        }
    }

    /** The problems of {@code object} as a {@code kind}; empty when it is valid. */
    List<String> problems(String kind, JsonNode object) {
        String definition = DEFINITIONS.get(kind);
        if (definition == null) {
            return List.of("no schema for kind " + kind);
        }
        ObjectNode root = document.deepCopy();
        root.put("$ref", "#/definitions/" + definition);
        Schema schema = registry.getSchema(root);
        List<String> problems = new java.util.ArrayList<>(schema.validate(object).stream().map(Error::toString).toList());
        if (!kind.equals(object.path("kind").asString())) {
            problems.add("kind is " + object.path("kind") + ", expected " + kind);
        }
        return problems;
    }

    List<String> problems(Manifest manifest) {
        return problems(manifest.kind(), JSON.valueToTree(manifest.object()));
    }

    private static JsonNode read(String name) {
        try (InputStream in = KubevirtSchema.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
