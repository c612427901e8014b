// Entry point of the bundled `orfeas` executable (dist/orfeas.cjs).
import { main } from './main';

void main(process.argv);
