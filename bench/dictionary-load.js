// Child process: the bare dictionary load, as a whole process (runtime start, nodejieba, the dictionary with the
// shipped lexicon), the yardstick of CLI start-up. Usage: node bench/dictionary-load.js USERDICT
import { createRequire } from 'node:module';

const jieba = createRequire(new URL('../packages/tokenizer/package.json', import.meta.url))('nodejieba');
jieba.load({ userDict: process.argv[2] });
jieba.cut('巡视', false);
