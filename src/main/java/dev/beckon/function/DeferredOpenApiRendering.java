package dev.beckon.function;

import org.eclipse.microprofile.openapi.OASFilter;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Makes /q/openapi render its document when asked, not at start-up. With no per-request filter
 * the OpenAPI extension writes the whole document as JSON and as YAML while the application
 * starts, on the path to the first answered call; with one, it keeps the model and writes the
 * format a request asks for (about 6 ms on a warm JVM). The document is asked for rarely (tools,
 * the console), so paying for it there is the better trade. The filter changes nothing in the
 * document. The extension creates it by name, hence the registration for the native image.
 */
@RegisterForReflection
@OpenApiFilter(stages = OpenApiFilter.RunStage.RUNTIME_PER_REQUEST)
public class DeferredOpenApiRendering implements OASFilter {
}
