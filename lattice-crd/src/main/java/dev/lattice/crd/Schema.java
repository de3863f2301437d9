package dev.lattice.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One compiled node of a CRD's {@code openAPIV3Schema}: every keyword parsed once at load (patterns
 * compiled, CEL rules compiled), immutable afterwards. {@link SchemaCompiler} builds it; {@link
 * SchemaValidator} walks it.
 */
final class Schema {
  /** Where this node sits in its CRD file, for load-time errors: {@code file:v1.spec.ports[]}. */
  final String location;

  /** Allowed JSON types; empty means any. */
  final Set<String> types;

  final boolean nullable;
  final boolean intOrString;
  final boolean preserveUnknownFields;

  /** Declared properties in schema order; empty when none. */
  final Map<String, Schema> properties;

  final List<String> required;

  /** Schema of {@code additionalProperties}, or null. */
  final Schema additionalProperties;

  /** True when {@code additionalProperties: true} (any extra field allowed, unchecked). */
  final boolean additionalPropertiesAllowed;

  final Schema items;
  final List<JsonNode> enumValues;
  final Pattern pattern;
  final String patternSource;
  final Integer minLength;
  final Integer maxLength;
  final BigDecimal minimum;
  final BigDecimal maximum;
  final boolean exclusiveMinimum;
  final boolean exclusiveMaximum;
  final BigDecimal multipleOf;
  final Integer minItems;
  final Integer maxItems;
  final Integer minProperties;
  final Integer maxProperties;
  final boolean uniqueItems;

  /** Normalised format name ({@link Formats#normalize}), or null. */
  final String format;

  final List<Schema> allOf;
  final List<Schema> anyOf;
  final List<Schema> oneOf;
  final Schema not;

  /** {@code atomic}, {@code set}, {@code map} or null. */
  final String listType;

  final List<String> listMapKeys;
  final JsonNode defaultValue;
  final List<CelRule> rules;

  /** True when this node or a node below it (outside junctions) has a default. */
  final boolean hasDefaults;

  Schema(Builder b) {
    this.location = b.location;
    this.types = Set.copyOf(b.types);
    this.nullable = b.nullable;
    this.intOrString = b.intOrString;
    this.preserveUnknownFields = b.preserveUnknownFields;
    this.properties =
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(b.properties));
    this.required = List.copyOf(b.required);
    this.additionalProperties = b.additionalProperties;
    this.additionalPropertiesAllowed = b.additionalPropertiesAllowed;
    this.items = b.items;
    this.enumValues = List.copyOf(b.enumValues);
    this.pattern = b.pattern;
    this.patternSource = b.patternSource;
    this.minLength = b.minLength;
    this.maxLength = b.maxLength;
    this.minimum = b.minimum;
    this.maximum = b.maximum;
    this.exclusiveMinimum = b.exclusiveMinimum;
    this.exclusiveMaximum = b.exclusiveMaximum;
    this.multipleOf = b.multipleOf;
    this.minItems = b.minItems;
    this.maxItems = b.maxItems;
    this.minProperties = b.minProperties;
    this.maxProperties = b.maxProperties;
    this.uniqueItems = b.uniqueItems;
    this.format = b.format;
    this.allOf = List.copyOf(b.allOf);
    this.anyOf = List.copyOf(b.anyOf);
    this.oneOf = List.copyOf(b.oneOf);
    this.not = b.not;
    this.listType = b.listType;
    this.listMapKeys = List.copyOf(b.listMapKeys);
    this.defaultValue = b.defaultValue;
    this.rules = List.copyOf(b.rules);
    boolean defaults = b.defaultValue != null;
    for (Schema p : properties.values()) {
      defaults |= p.hasDefaults;
    }
    if (items != null) {
      defaults |= items.hasDefaults;
    }
    if (additionalProperties != null) {
      defaults |= additionalProperties.hasDefaults;
    }
    this.hasDefaults = defaults;
  }

  /** The schema of a field of an object value: declared property, additionalProperties, or null. */
  Schema fieldSchema(String name) {
    Schema p = properties.get(name);
    return p != null ? p : additionalProperties;
  }

  boolean allowsType(String type) {
    return types.isEmpty() || types.contains(type);
  }

  /** Mutable state while {@link SchemaCompiler} reads one node. */
  static final class Builder {
    String location;
    final java.util.Set<String> types = new java.util.LinkedHashSet<>();
    boolean nullable;
    boolean intOrString;
    boolean preserveUnknownFields;
    final Map<String, Schema> properties = new java.util.LinkedHashMap<>();
    final List<String> required = new java.util.ArrayList<>();
    Schema additionalProperties;
    boolean additionalPropertiesAllowed;
    Schema items;
    final List<JsonNode> enumValues = new java.util.ArrayList<>();
    Pattern pattern;
    String patternSource;
    Integer minLength;
    Integer maxLength;
    BigDecimal minimum;
    BigDecimal maximum;
    boolean exclusiveMinimum;
    boolean exclusiveMaximum;
    BigDecimal multipleOf;
    Integer minItems;
    Integer maxItems;
    Integer minProperties;
    Integer maxProperties;
    boolean uniqueItems;
    String format;
    final List<Schema> allOf = new java.util.ArrayList<>();
    final List<Schema> anyOf = new java.util.ArrayList<>();
    final List<Schema> oneOf = new java.util.ArrayList<>();
    Schema not;
    String listType;
    final List<String> listMapKeys = new java.util.ArrayList<>();
    JsonNode defaultValue;
    final List<CelRule> rules = new java.util.ArrayList<>();
  }
}
