package io.authgateway.auth;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Strict decoding of the base64url JSON segments of a compact token; null for anything malformed. */
final class Base64Json {

    private Base64Json() {
    }

    static JsonObject decodeObject(String segment) {
        byte[] json = decode(segment);
        return json == null ? null : parseObject(new String(json, StandardCharsets.UTF_8));
    }

    static JsonObject parseObject(String json) {
        try {
            JsonReader reader = new JsonReader(new StringReader(json));
            reader.setStrictness(Strictness.STRICT);
            JsonElement element = JsonParser.parseReader(reader);
            return element.isJsonObject() && reader.peek() == JsonToken.END_DOCUMENT ? element.getAsJsonObject() : null;
        } catch (JsonParseException | IOException | IllegalStateException | StackOverflowError e) {
            return null;
        }
    }

    static byte[] decode(String segment) {
        try {
            return Base64.getUrlDecoder().decode(segment);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String stringMember(JsonObject object, String name) {
        JsonElement value = object.get(name);
        return value instanceof JsonPrimitive p && p.isString() ? p.getAsString() : null;
    }

    /** Keeps attacker-chosen text in log lines short and printable. */
    static String sanitize(String text) {
        String cut = text.length() > 32 ? text.substring(0, 32) + "..." : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
