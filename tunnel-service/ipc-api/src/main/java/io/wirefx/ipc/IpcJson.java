package io.wirefx.ipc;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON encoding of {@link Message}s: UTF-8, a {@code type} property resolved only against the whitelist on
 * {@link Message}, null fields omitted, unknown fields ignored (so that a version may gain optional fields).
 */
public final class IpcJson {
    private static final Map<String, Class<?>> TYPES;
    private static final ObjectMapper MAPPER;

    static {
        Map<String, Class<?>> types = new LinkedHashMap<>();
        for (JsonSubTypes.Type t : Message.class.getAnnotation(JsonSubTypes.class).value()) {
            types.put(t.name(), t.value());
        }
        TYPES = Collections.unmodifiableMap(types);
        // Frames are at most 1 MiB; these bound the work a hostile frame can cause.
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(32)
                        .maxNumberLength(40)
                        .maxStringLength(Protocol.MAX_FRAME_BYTES)
                        .build())
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
        MAPPER = JsonMapper.builder(factory)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES) // absent numbers/booleans: 0/false
                .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                // strings must be JSON strings: no 7 → "7", true → "true"
                .withCoercionConfig(LogicalType.Textual, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .build();
    }

    private IpcJson() {
    }

    /** The whitelisted {@code type} names and their records, in declaration order. */
    public static Map<String, Class<?>> types() {
        return TYPES;
    }

    /** Encodes a message as UTF-8 JSON (without the frame header). */
    public static byte[] encode(Message message) {
        try {
            return MAPPER.writerFor(Message.class).writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            // Only our own records are serialized; failing here is a bug, not an input problem.
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Decodes one frame's payload.
     *
     * @throws ProtocolException BAD_REQUEST for malformed JSON or fields, UNKNOWN_REQUEST for a {@code type} outside
     *                           the whitelist; with the request id if the frame had a numeric {@code id}
     */
    public static Message decode(byte[] json) throws ProtocolException {
        return decode(json, 0, json.length);
    }

    /** Decodes {@code len} bytes of {@code buf} from {@code off}; see {@link #decode(byte[])}. */
    public static Message decode(byte[] buf, int off, int len) throws ProtocolException {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(buf, off, len);
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, 0, "not valid JSON");
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, 0, "a message must be a JSON object");
        }
        JsonNode idNode = object.get("id");
        long id = idNode != null && idNode.canConvertToLong() && idNode.isIntegralNumber() ? idNode.asLong() : 0;
        JsonNode typeNode = object.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, id, "missing \"type\"");
        }
        if (!TYPES.containsKey(typeNode.textValue())) {
            throw new ProtocolException(ErrorCode.UNKNOWN_REQUEST, id, "unknown message type");
        }
        try {
            return MAPPER.treeToValue(object, Message.class);
        } catch (IOException | IllegalArgumentException e) {
            String field = e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()
                    ? m.getPath().getLast().getFieldName() : null;
            throw new ProtocolException(ErrorCode.BAD_REQUEST, id,
                    field == null ? "malformed \"" + typeNode.textValue() + "\" message"
                            : "malformed \"" + typeNode.textValue() + "\" message: bad field \"" + safe(field) + "\"");
        }
    }

    /** Field names come from the input: echo only short, plain ones. */
    private static String safe(String field) {
        return field.length() <= 40 && field.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c))
                ? field : "?";
    }
}
