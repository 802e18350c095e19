package io.qemucompose.daemon.api;

import java.util.List;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Spring MVC without two defaults the daemon never uses, each of which it would otherwise build
 * because a library on the shell's classpath makes it look available (scripts/bench-daemon):
 * <ul>
 *   <li>Bean Validation: Hibernate Validator is there (Spring Shell brings it), and Spring MVC
 *   bootstraps it for its default validator although no controller validates anything
 *   ({@code @Valid} is used nowhere): about 600 classes (Hibernate Validator, JBoss Logging, Log4j's
 *   API). The validator named here is used instead.
 *   <li>A YAML message converter: Jackson 2's YAML module is there (swagger-core brings it), and
 *   Spring MVC builds a Jackson 2 mapper for it (about 500 classes), although the API speaks JSON
 *   only (Jackson 3) and springdoc writes its YAML document itself. The slot gets a converter that
 *   accepts nothing, so nothing is detected for it.
 * </ul>
 */
public final class LeanMvc implements WebMvcConfigurer {

    @Override
    public Validator getValidator() {
        return new Validator() {
            @Override
            public boolean supports(Class<?> type) {
                return false;
            }

            @Override
            public void validate(Object target, Errors errors) {
                // nothing is validated: no request body or parameter carries constraints
            }
        };
    }

    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
        builder.withYamlConverter(new NoConverter());
    }

    /**
     * Reads and writes nothing: it names YAML (the builder demands it of a YAML converter), but
     * supports no class, so it never offers or takes a body.
     */
    static final class NoConverter extends AbstractHttpMessageConverter<Object> {
        NoConverter() {
            super(MediaType.parseMediaType("application/yaml"));
        }

        @Override
        protected boolean supports(Class<?> type) {
            return false;
        }

        @Override
        protected Object readInternal(Class<?> type, HttpInputMessage input) {
            throw new UnsupportedOperationException("no YAML converter");
        }

        @Override
        protected void writeInternal(Object value, HttpOutputMessage output) {
            throw new UnsupportedOperationException("no YAML converter");
        }

        @Override
        public List<MediaType> getSupportedMediaTypes(Class<?> type) {
            return List.of();
        }
    }
}
