package io.qemucompose.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springdoc.core.properties.SpringDocConfigProperties;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;

/** springdoc's beans wait for the first request for the document; everything else starts as before. */
class DeferredOpenApiTest {

    @Test
    void springdocBeansAreMadeOnlyWhenTheDocumentIsFirstAskedFor() throws Exception {
        var factory = new DefaultListableBeanFactory();
        var springdoc = new RootBeanDefinition(SpringDocConfigProperties.class);
        springdoc.setLazyInit(false); // as springdoc's @Lazy(false) beans are
        factory.registerBeanDefinition("springDocConfigProperties", springdoc);
        var ours = new RootBeanDefinition(StringBuilder.class);
        ours.setLazyInit(false);
        factory.registerBeanDefinition("ours", ours);

        var deferred = new DeferredOpenApi();
        deferred.postProcessBeanFactory(factory);
        factory.preInstantiateSingletons();

        assertThat(deferred.deferred()).containsExactly("springDocConfigProperties");
        assertThat(factory.containsSingleton("ours")).isTrue();
        assertThat(factory.containsSingleton("springDocConfigProperties")).isFalse();
        boolean[] passedOn = {false};
        deferred.doFilter(null, null, (request, response) -> passedOn[0] = true);
        assertThat(factory.containsSingleton("springDocConfigProperties")).isTrue();
        assertThat(passedOn[0]).isTrue();
    }
}
