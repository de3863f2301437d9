package dev.lattice.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.immutables.value.Value;

/**
 * Internal: not part of Lattice's API. The one Immutables style of the project: generated classes
 * stay package-private behind the abstract value types, builders are strict, collections are
 * JDK-only and keep their order.
 */
@Target({ElementType.PACKAGE, ElementType.TYPE})
@Retention(RetentionPolicy.CLASS)
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    overshadowImplementation = true,
    strictBuilder = true,
    jdkOnly = true,
    defaults = @Value.Immutable(copy = false),
    get = {"is*", "get*"},
    typeImmutable = "Immutable*",
    // Immutables is an annotation processor only: generated code must not carry its @Generated,
    // whose class is not on downstream compile classpaths (javac warns, -Werror fails).
    allowedClasspathAnnotations = {Override.class})
public @interface LatticeStyle {}
