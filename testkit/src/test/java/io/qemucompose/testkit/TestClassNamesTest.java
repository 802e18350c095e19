package io.qemucompose.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A test class that neither Surefire nor Failsafe picks up proves nothing, silently: the jqwik
 * {@code *Properties} classes once never ran because Surefire's default patterns miss them. This
 * scans every module's {@code src/test/java} for classes with test methods and checks each name
 * against the include patterns the root pom really configures (Surefire's defaults if it has none).
 */
class TestClassNamesTest {

    /** Surefire's built-in includes, in force when the pom names none. */
    private static final List<String> SUREFIRE_DEFAULTS = List.of(
            "**/Test*.java", "**/*Test.java", "**/*Tests.java", "**/*TestCase.java");

    /** Failsafe's built-in includes (the project configures none), in modules that bind Failsafe. */
    private static final List<String> FAILSAFE_DEFAULTS = List.of("**/IT*.java", "**/*IT.java", "**/*ITCase.java");

    /** Annotations that make a method a test for one of the JUnit Platform engines we use. */
    private static final Pattern TEST_METHOD = Pattern.compile(
            "(?m)^\\s*@(Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate|Property|Example)\\b");

    /** Run only when named on purpose (scripts/bench-*), never in a normal build. */
    private static final Pattern ON_DEMAND = Pattern.compile(".*Benchmark\\.java");

    @Test
    void everyClassWithTestsMatchesTheSurefireOrFailsafeIncludes() throws Exception {
        Path root = GuestImage.repoRoot();
        List<String> includes = surefireIncludes(root.resolve("pom.xml"));
        List<Pattern> surefire = includes.stream().map(TestClassNamesTest::glob).toList();
        List<Pattern> failsafe = FAILSAFE_DEFAULTS.stream().map(TestClassNamesTest::glob).toList();
        List<String> missed = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/test/java"))).sorted().toList()) {
                boolean bindsFailsafe = Files.readString(module.resolve("pom.xml")).contains("maven-failsafe-plugin");
                Path tests = module.resolve("src/test/java");
                for (Path source : javaFiles(tests)) {
                    if (!TEST_METHOD.matcher(Files.readString(source)).find()) {
                        continue;
                    }
                    scanned++;
                    String relative = tests.relativize(source).toString();
                    boolean picked = matchesAny(surefire, relative) || (bindsFailsafe && matchesAny(failsafe, relative))
                            || ON_DEMAND.matcher(relative).matches();
                    if (!picked) {
                        missed.add(root.relativize(source).toString());
                    }
                }
            }
        }
        assertThat(scanned).as("test classes found under */src/test/java").isGreaterThan(10);
        assertThat(missed).as("classes with test methods that no Surefire/Failsafe include pattern (%s) runs: "
                + "rename them or extend the includes in pom.xml", includes).isEmpty();
    }

    @Test
    void globsMatchAsSurefireDoes() {
        assertThat(glob("**/*Properties.java").matcher("io/qemucompose/spec/ByteSizeProperties.java").matches()).isTrue();
        assertThat(glob("**/*Test.java").matcher("TopTest.java").matches()).isTrue();
        assertThat(glob("**/*Test.java").matcher("io/x/TestData.java").matches()).isFalse();
    }

    static List<String> surefireIncludes(Path pom) throws Exception {
        Document doc = DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder().parse(pom.toFile());
        NodeList plugins = doc.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            if (!"maven-surefire-plugin".equals(text(plugin, "artifactId"))) {
                continue;
            }
            NodeList includes = plugin.getElementsByTagName("include");
            if (includes.getLength() == 0) {
                continue;
            }
            List<String> out = new ArrayList<>();
            for (int j = 0; j < includes.getLength(); j++) {
                out.add(includes.item(j).getTextContent().strip());
            }
            return out;
        }
        return SUREFIRE_DEFAULTS;
    }

    private static String text(Element parent, String child) {
        NodeList nodes = parent.getElementsByTagName(child);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().strip();
    }

    /** Ant-style glob as Surefire reads it: {@code **}/ any folders (or none), {@code *} within a name. */
    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (glob.startsWith("**/", i)) {
                regex.append("(?:.*/)?");
                i += 2;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    private static boolean matchesAny(List<Pattern> patterns, String path) {
        return patterns.stream().anyMatch(p -> p.matcher(path).matches());
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }
}
