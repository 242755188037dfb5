"""Write each addon's README.rst from its manifest and readme/*.md fragments.

The fragments use the common subset of Markdown and reStructuredText (paragraphs, "- " lists,
*emphasis*), so they are copied as they are. Run after editing a fragment; commit the result.
"""

import ast
import glob
import os

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECTIONS = (
    ("DESCRIPTION", None),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("CONTRIBUTORS", "Contributors"),
)


def render(addon_dir):
    with open(os.path.join(addon_dir, "__manifest__.py"), encoding="utf-8") as handle:
        title = ast.literal_eval(handle.read())["name"]
    parts = [f"{'=' * len(title)}\n{title}\n{'=' * len(title)}\n"]
    for fragment, heading in SECTIONS:
        path = os.path.join(addon_dir, "readme", f"{fragment}.md")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                body = handle.read().strip()
            parts.append(f"{heading}\n{'-' * len(heading)}\n\n{body}\n" if heading else f"{body}\n")
    parts.append("Installation, the demo and the tests: see the README.md of the repository.\n")
    return "\n".join(parts)


def main():
    for manifest in sorted(glob.glob(os.path.join(REPO, "*", "__manifest__.py"))):
        addon_dir = os.path.dirname(manifest)
        with open(os.path.join(addon_dir, "README.rst"), "w", encoding="utf-8") as handle:
            handle.write(render(addon_dir))


if __name__ == "__main__":
    main()
