package dev.moire.runtime.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.moire.model.internal.Checks;

/**
 * The stable JSON form of every model type: snake_case properties, absent optionals omitted, map
 * keys sorted, unknown properties ignored (so older readers accept newer writers' extras).
 *
 * <pre>{@code
 * String json = MoireJson.write(snapshot);
 * Snapshot back = MoireJson.read(json, Snapshot.class); // equals snapshot
 * }</pre>
 */
public final class MoireJson {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new Jdk8Module())
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .defaultPropertyInclusion(
              JsonInclude.Value.construct(
                  JsonInclude.Include.NON_ABSENT, JsonInclude.Include.NON_ABSENT))
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private MoireJson() {}

  /**
   * Returns the JSON text of a model value.
   *
   * @throws MoireJsonException if the value cannot be written
   */
  public static String write(Object value) {
    Checks.notNull(value, "value");
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new MoireJsonException(
          "cannot write " + value.getClass().getSimpleName() + " as JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Returns a model value as the map of its JSON properties (snake_case names), without going
   * through text.
   *
   * @throws MoireJsonException if the value is not a JSON object
   */
  @SuppressWarnings("unchecked") // a JSON object converts to a map of its properties
  public static java.util.Map<String, Object> toMap(Object value) {
    Checks.notNull(value, "value");
    try {
      return MAPPER.convertValue(value, java.util.LinkedHashMap.class);
    } catch (IllegalArgumentException e) {
      throw new MoireJsonException(
          "cannot convert "
              + value.getClass().getSimpleName()
              + " to a JSON object: "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Reads a model value from JSON text.
   *
   * @throws MoireJsonException if the text is not a valid {@code type}
   */
  public static <T> T read(String json, Class<T> type) {
    Checks.notNull(json, "json");
    Checks.notNull(type, "type");
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new MoireJsonException(
          "not a valid " + type.getSimpleName() + " in JSON: " + e.getOriginalMessage(), e);
    }
  }
}
