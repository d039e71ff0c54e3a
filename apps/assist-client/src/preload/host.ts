import { exposeWindowApi } from './expose.ts';

exposeWindowApi('host');
