package dev.lattice.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks DSL steps whose result must be used: a {@code dependsOn("db")} whose direction call is
 * forgotten declares nothing. IDEs and Error Prone flag ignored results of methods so marked.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface CheckReturnValue {}
