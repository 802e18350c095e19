package io.qemucompose.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.http.converter.yaml.MappingJackson2YamlHttpMessageConverter;
import tools.jackson.databind.JsonNode;

/** The daemon's converters: every default but a YAML one; nothing validates. */
class LeanMvcTest {

    @Test
    void noYamlConverterIsBuiltAndJsonAndTextStillAre() {
        var builder = HttpMessageConverters.forServer().registerDefaults();
        new LeanMvc().configureMessageConverters(builder);
        List<HttpMessageConverter<?>> converters = new ArrayList<>();
        builder.build().forEach(converters::add);

        assertThat(converters).noneMatch(MappingJackson2YamlHttpMessageConverter.class::isInstance);
        assertThat(converters).noneMatch(c -> c.canWrite(JsonNode.class, MediaType.parseMediaType("application/yaml")));
        assertThat(converters).anyMatch(c -> c.canWrite(String.class, MediaType.TEXT_PLAIN));
        assertThat(converters).anyMatch(c -> c.canWrite(JsonNode.class, MediaType.APPLICATION_JSON));
        assertThat(converters).anyMatch(c -> c.canRead(JsonNode.class, MediaType.APPLICATION_JSON));
    }

    @Test
    void theValidatorValidatesNothing() {
        assertThat(new LeanMvc().getValidator().supports(Object.class)).isFalse();
    }
}
