package io.deployflow.release;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadmeExampleTest {
    @Test
    void configLanguageBlockCounts() {
        assertEquals("yaml block at line 3", ReadmeExample.find("# x\n\n```yaml\nport: 8080\n```\n").orElseThrow());
        assertTrue(ReadmeExample.find("~~~properties\nserver.port=8080\n~~~").isPresent());
        assertTrue(ReadmeExample.find("```JSON\n{\"port\": 8080}\n```").isPresent());
        assertTrue(ReadmeExample.find("```env\nPORT=8080\n```").isPresent());
    }

    @Test
    void anyBlockUnderAConfigurationHeadingCounts() {
        String md = "# Service\n\n## Example configuration\n\n```\nPORT=8080\n```\n";
        assertEquals("code block at line 5 under 'Example configuration'", ReadmeExample.find(md).orElseThrow());
    }

    @Test
    void otherBlocksEmptyBlocksAndProseDoNotCount() {
        assertTrue(ReadmeExample.find("# Usage\n\n```bash\ndocker run x\n```\n").isEmpty());
        assertTrue(ReadmeExample.find("```yaml\n\n```\n").isEmpty(), "empty block");
        assertTrue(ReadmeExample.find("Configure it with port: 8080 in yaml.").isEmpty());
        assertTrue(ReadmeExample.find("## Configuration\n\nSee the wiki.\n\n## Usage\n```sh\nrun\n```").isEmpty(),
                "the block is under Usage, not Configuration");
    }

    @Test
    void aLongerFenceIsOnlyClosedByALongerOrEqualFence() {
        String md = "````yaml\n```\nport: 1\n````\n";
        assertTrue(ReadmeExample.find(md).isPresent());
    }
}
