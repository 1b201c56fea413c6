Console.WriteLine("rbm");
