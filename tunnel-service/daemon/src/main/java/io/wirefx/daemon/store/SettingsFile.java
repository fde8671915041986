package io.wirefx.daemon.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wirefx.ipc.OnDemandRules;
import io.wirefx.ipc.TunnelSettings;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of a tunnel's {@code NAME.settings.json}: a JSON object with {@code version} 1, {@code blockUntunneled},
 * {@code allowLan} and {@code onDemand} ({@code onWifi}, {@code onWired}, {@code trustedSsids}). Reading is strict
 * about types (a string where a boolean belongs is an error) and ignores unknown fields; an absent field has its
 * default (false, no SSIDs).
 */
final class SettingsFile {
    static final int VERSION = 1;
    /** Larger than any valid file (64 SSIDs of 32 bytes, escaped). */
    static final int MAX_BYTES = 64 * 1024;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private SettingsFile() {
    }

    static byte[] encode(TunnelSettings s) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", VERSION);
        root.put("blockUntunneled", s.blockUntunneled());
        root.put("allowLan", s.allowLan());
        ObjectNode od = root.putObject("onDemand");
        od.put("onWifi", s.onDemand().onWifi());
        od.put("onWired", s.onDemand().onWired());
        s.onDemand().trustedSsids().forEach(od.putArray("trustedSsids")::add);
        try {
            return (MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @throws IllegalArgumentException saying what is wrong (without the file name) */
    static TunnelSettings decode(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("larger than " + MAX_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON (" + e.getOriginalMessage() + ", line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")");
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot be read (" + e.getMessage() + ")");
        }
        if (!(root instanceof ObjectNode o)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode v = o.get("version");
        if (v == null || !v.isIntegralNumber() || v.asLong() != VERSION) {
            throw new IllegalArgumentException("\"version\" must be " + VERSION);
        }
        boolean block = bool(o, "blockUntunneled");
        boolean lan = bool(o, "allowLan");
        OnDemandRules rules = OnDemandRules.OFF;
        JsonNode od = o.get("onDemand");
        if (od != null && !od.isNull()) {
            if (!(od instanceof ObjectNode odo)) {
                throw new IllegalArgumentException("\"onDemand\" must be an object");
            }
            List<String> ssids = new ArrayList<>();
            JsonNode list = odo.get("trustedSsids");
            if (list != null && !list.isNull()) {
                if (!list.isArray()) {
                    throw new IllegalArgumentException("\"onDemand.trustedSsids\" must be an array of strings");
                }
                for (JsonNode n : list) {
                    if (!n.isTextual()) {
                        throw new IllegalArgumentException("\"onDemand.trustedSsids\" must be an array of strings");
                    }
                    ssids.add(n.textValue());
                }
            }
            try {
                rules = new OnDemandRules(bool(odo, "onWifi"), bool(odo, "onWired"), ssids);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("\"onDemand\": " + e.getMessage());
            }
        }
        return new TunnelSettings(block, lan, rules);
    }

    private static boolean bool(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw new IllegalArgumentException("\"" + field + "\" must be true or false");
        }
        return n.booleanValue();
    }
}
