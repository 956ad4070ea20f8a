import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..');

function documents(): string[] {
  const docsDir = join(REPO_ROOT, 'docs');
  const docs = existsSync(docsDir)
    ? readdirSync(docsDir)
        .filter((file) => file.endsWith('.md'))
        .map((file) => join(docsDir, file))
    : [];
  return [join(REPO_ROOT, 'README.md'), join(REPO_ROOT, 'CHANGELOG.md'), ...docs];
}

/** Markdown link targets `[text](target)` that are paths, not URLs or in-page anchors. */
function relativeTargets(markdown: string): string[] {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '');
  return [...withoutCode.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]!)
    .filter((target) => !/^[a-z][a-z+.-]*:/i.test(target) && !target.startsWith('#'))
    .map((target) => target.split('#')[0]!);
}

describe('documentation links', () => {
  const files = documents();

  it('has the docs it links to', () => {
    expect(files.map((file) => relative(REPO_ROOT, file))).toEqual(
      expect.arrayContaining(['README.md', 'docs/rules.md']),
    );
  });

  it.each(files.map((file) => [relative(REPO_ROOT, file), file]))(
    'every relative link in %s resolves to a file in the repository',
    (_name, file) => {
      const broken = relativeTargets(readFileSync(file, 'utf8')).filter((target) => {
        const resolved = join(dirname(file), target);
        return !existsSync(resolved) || relative(REPO_ROOT, resolved).startsWith('..');
      });

      expect(broken).toEqual([]);
    },
  );
});
